/** A small fetch client for the emulator: what tests, the end-to-end suite and the benchmark send it requests with. */
import type { Emulator } from './emulator';

export interface ApiResponse {
	status: number;
	headers: Headers;
	body: unknown;
}

export interface RequestOptions {
	body?: unknown;
	query?: Record<string, string | number>;
	headers?: Record<string, string>;
	/** The API key to send; null sends no Authorization header. Default the emulator's test key. */
	apiKey?: string | null;
}

/** A route path with its `{name}` segments filled in. */
export function pathOf(route: { path: string }, params: Record<string, string> = {}): string {
	return route.path.replace(/\{(\w+)\}/g, (_segment, name: string) =>
		encodeURIComponent(params[name]),
	);
}

/** Where the client sends requests, and with which key: a running emulator, in this process or another. */
export type ClientTarget = Pick<Emulator, 'baseUrl' | 'testKey'>;

export class Client {
	constructor(private readonly emulator: ClientTarget) {}

	async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
		const url = new URL(this.emulator.baseUrl + path);
		for (const [name, value] of Object.entries(options.query ?? {}))
			url.searchParams.set(name, String(value));
		const apiKey = options.apiKey === undefined ? this.emulator.testKey : options.apiKey;
		const headers: Record<string, string> = { ...options.headers };
		if (apiKey !== null) headers.Authorization = `Bearer ${apiKey}`;
		if (options.body !== undefined) headers['Content-Type'] ??= 'application/json';
		const response = await fetch(url, {
			method,
			headers,
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
		});
		const text = await response.text();
		return {
			status: response.status,
			headers: response.headers,
			body: text === '' ? undefined : JSON.parse(text),
		};
	}

	get(
		path: string,
		query?: Record<string, string | number>,
		apiKey?: string | null,
	): Promise<ApiResponse> {
		return this.request('GET', path, { query, apiKey });
	}

	post(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse> {
		return this.request('POST', path, { body, headers });
	}

	delete(path: string): Promise<ApiResponse> {
		return this.request('DELETE', path);
	}
}
