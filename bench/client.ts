/** The benches' baseline HTTP client: node's own, over one keep-alive agent, and the set-up it does. */
import { Agent, request as httpRequest } from 'node:http';
import { text } from 'node:stream/consumers';

import { ROUTES } from '../nodes/PrivCards/contract';
import type { Card } from '../nodes/PrivCards/contract';
import type { Emulator } from '../emulator/emulator';

export interface Answer {
	status: number;
	body: unknown;
}

/** The baseline's HTTP: node's own client over one keep-alive agent, nothing else. */
export class BareClient {
	private readonly agent = new Agent({ keepAlive: true });

	constructor(
		private readonly emulator: Emulator,
		private readonly apiKey = emulator.testKey,
	) {}

	async send(
		method: string,
		path: string,
		body?: unknown,
		headers: Record<string, string> = {},
	): Promise<Answer> {
		const payload = body === undefined ? undefined : JSON.stringify(body);
		return await new Promise<Answer>((resolve, reject) => {
			const outgoing = httpRequest(
				`${this.emulator.baseUrl}${path}`,
				{
					method,
					agent: this.agent,
					headers: {
						Authorization: `Bearer ${this.apiKey}`,
						...(payload === undefined ? {} : { 'Content-Type': 'application/json' }),
						...headers,
					},
				},
				(response) => {
					text(response).then(
						(raw) => resolve({ status: response.statusCode ?? 0, body: JSON.parse(raw) }),
						reject,
					);
				},
			);
			outgoing.on('error', reject);
			outgoing.end(payload);
		});
	}

	/** Sends until the answer is not a 429, waiting each Retry-After: for the set-up, not for what is measured. */
	async sendPatiently(method: string, path: string, body?: unknown): Promise<Answer> {
		for (;;) {
			const answer = await this.send(method, path, body);
			if (answer.status !== 429) return answer;
			await new Promise((resolve) => setTimeout(resolve, 1_000));
		}
	}

	close(): void {
		this.agent.destroy();
	}
}

export function expectStatus(answer: Answer, status: number, what: string): unknown {
	if (answer.status !== status)
		throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
	return answer.body;
}

export async function createCards(
	client: BareClient,
	cards: number,
	amount: number,
): Promise<Card[]> {
	const created: Card[] = [];
	for (let index = 0; index < cards; index++) {
		const answer = await client.sendPatiently('POST', ROUTES.createCard.path, {
			bin_id: '491653',
			amount,
		});
		created.push(expectStatus(answer, 201, 'create a card') as Card);
	}
	return created;
}
