/** Test helpers that need plain Node: a local webhook receiver and a sleep. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';

export { setTimeout as sleep } from 'node:timers/promises';

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
		void buffer(request).then((rawBody) => {
			received.push({ headers: request.headers, rawBody });
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
