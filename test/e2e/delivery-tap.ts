// The tap between the emulator and a real n8n: n8n's webhook URL (`N8N_WEBHOOK_URL`) points at it, so the trigger
// registers the tap's address, and the tap forwards every request to n8n (the webhook processor in queue mode, as a
// load balancer would) and keeps each delivery's exact bytes, headers and answer. Repeats are those bytes sent
// again; tampered and unsigned deliveries are altered copies (delivery-checks.ts).
import * as http from 'node:http';

export interface TapRecord {
	/** `emulator`: a delivery the emulator sent through the tap; `test`: one this test sent itself. */
	source: 'emulator' | 'test';
	path: string;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
	/** The event ID in the body, if it parses. */
	eventId: string | undefined;
	/** n8n's answer; null when it gave none. */
	status: number | null;
	/** The start of n8n's answer body, as text. */
	answer: string;
	/** When the answer came (epoch ms), and how long n8n took to give it. */
	at: number;
	ms: number;
}

const HOP_BY_HOP = new Set([
	'host',
	'connection',
	'content-length',
	'transfer-encoding',
	'keep-alive',
]);

function eventIdOf(body: Buffer): string | undefined {
	try {
		const id = (JSON.parse(body.toString('utf8')) as { id?: unknown }).id;
		return typeof id === 'string' ? id : undefined;
	} catch {
		return undefined;
	}
}

/** A recording reverse proxy to n8n on 127.0.0.1:`upstreamPort`. */
export class Tap {
	readonly records: TapRecord[] = [];
	/** Where requests go; set before n8n receives any. */
	upstreamPort = 0;
	private inFlight = 0;

	private constructor(
		private readonly server: http.Server,
		readonly url: string,
	) {}

	static async start(): Promise<Tap> {
		const server = http.createServer();
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		const addr = server.address();
		const port = typeof addr === 'object' && addr ? addr.port : 0;
		const tap = new Tap(server, `http://127.0.0.1:${port}`);
		server.on(
			'request',
			(req: http.IncomingMessage, res: http.ServerResponse) => void tap.forward(req, res),
		);
		return tap;
	}

	/** True while a request is on its way to n8n or back. */
	get busy(): boolean {
		return this.inFlight > 0;
	}

	/** Deliveries (POSTs) with their answers, of one source or all. */
	deliveries(source?: TapRecord['source']): TapRecord[] {
		return this.records.filter((r) => source === undefined || r.source === source);
	}

	/** Sends `body` with `headers` to n8n at `path` itself (a repeat, a tampered copy), recorded as `test`. */
	async send(record: Pick<TapRecord, 'path' | 'headers' | 'body'>): Promise<number | null> {
		const started = Date.now();
		const result = await this.upstream('POST', record.path, record.headers, record.body);
		this.records.push({
			source: 'test',
			path: record.path,
			headers: record.headers,
			body: record.body,
			eventId: eventIdOf(record.body),
			status: result.status,
			answer: result.body.subarray(0, 300).toString('utf8'),
			at: Date.now(),
			ms: Date.now() - started,
		});
		return result.status;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((r) => this.server.close(() => r()));
	}

	private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks);
		const method = req.method ?? 'GET';
		const started = Date.now();
		const result = await this.upstream(method, req.url ?? '/', req.headers, body);
		if (method === 'POST') {
			this.records.push({
				source: 'emulator',
				path: req.url ?? '/',
				headers: req.headers,
				body,
				eventId: eventIdOf(body),
				status: result.status,
				answer: result.body.subarray(0, 300).toString('utf8'),
				at: Date.now(),
				ms: Date.now() - started,
			});
		}
		if (result.status === null) res.writeHead(502).end();
		else res.writeHead(result.status, result.headers).end(result.body);
	}

	private upstream(
		method: string,
		path: string,
		headers: http.IncomingHttpHeaders,
		body: Buffer,
	): Promise<{ status: number | null; headers: http.OutgoingHttpHeaders; body: Buffer }> {
		const outgoing: http.OutgoingHttpHeaders = {};
		for (const [name, value] of Object.entries(headers)) {
			if (!HOP_BY_HOP.has(name) && value !== undefined) outgoing[name] = value;
		}
		if (body.length > 0) outgoing['content-length'] = body.length;
		this.inFlight += 1;
		return new Promise((resolve) => {
			const req = http.request(
				{
					host: '127.0.0.1',
					port: this.upstreamPort,
					method,
					path,
					headers: outgoing,
					timeout: 30_000,
				},
				(res) => {
					const parts: Buffer[] = [];
					res.on('data', (c: Buffer) => parts.push(c));
					res.on('end', () => {
						const answerHeaders: http.OutgoingHttpHeaders = {};
						for (const [name, value] of Object.entries(res.headers)) {
							if (!HOP_BY_HOP.has(name) && value !== undefined) answerHeaders[name] = value;
						}
						resolve({
							status: res.statusCode ?? null,
							headers: answerHeaders,
							body: Buffer.concat(parts),
						});
					});
					res.on('error', () => resolve({ status: null, headers: {}, body: Buffer.alloc(0) }));
				},
			);
			req.on('timeout', () => req.destroy(new Error('no answer')));
			req.on('error', () => resolve({ status: null, headers: {}, body: Buffer.alloc(0) }));
			req.end(body);
		}).finally(() => {
			this.inFlight -= 1;
		}) as Promise<{ status: number | null; headers: http.OutgoingHttpHeaders; body: Buffer }>;
	}
}
