/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- the emulator tests run in plain Node, never inside n8n: a webhook receiver on node:http and real timers */
/** Test helpers that need plain Node: a local webhook receiver and a sleep. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

interface ReceivedDelivery {
	headers: Record<string, string | string[] | undefined>;
	/** The body exactly as it arrived. */
	rawBody: Buffer;
}

export interface Receiver {
	url: string;
	received: ReceivedDelivery[];
	close(): Promise<void>;
}

/** A local HTTP endpoint that keeps every delivery and answers the statuses given, then 200. */
export async function startReceiver(statuses: number[] = []): Promise<Receiver> {
	const received: ReceivedDelivery[] = [];
	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			received.push({ headers: request.headers, rawBody: Buffer.concat(chunks) });
			response.writeHead(statuses.shift() ?? 200).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hooks`,
		received,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

export async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}
