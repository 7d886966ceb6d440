import { ERROR_SLUGS } from '../nodes/PrivCards/contract';
import type { ApiErrorBody } from '../nodes/PrivCards/contract';

/** An API error answer: thrown anywhere while a request is handled, turned into the error body once. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly slug: string,
		message: string,
		readonly param?: string,
		readonly headers: Readonly<Record<string, string>> = {},
	) {
		super(message);
	}

	body(requestId: string): ApiErrorBody {
		const body: ApiErrorBody = {
			error: this.slug,
			message: this.message,
			code: this.status,
			request_id: requestId,
		};
		if (this.param !== undefined) body.param = this.param;
		return body;
	}
}

const SLUG_BY_STATUS: Readonly<Record<number, string>> = {
	400: ERROR_SLUGS.invalidRequest,
	401: ERROR_SLUGS.invalidApiKey,
	403: ERROR_SLUGS.forbidden,
	404: ERROR_SLUGS.notFound,
	409: ERROR_SLUGS.invalidState,
	429: ERROR_SLUGS.rateLimited,
	503: ERROR_SLUGS.serviceUnavailable,
};

/** The slug the API uses for a status when nothing more specific applies. */
export function slugForStatus(status: number): string {
	return SLUG_BY_STATUS[status] ?? ERROR_SLUGS.internalError;
}

export function invalidRequest(message: string, param?: string): ApiError {
	return new ApiError(400, ERROR_SLUGS.invalidRequest, message, param);
}

export function notFound(noun: string, id: string, param?: string): ApiError {
	return new ApiError(404, ERROR_SLUGS.notFound, `No ${noun} with id "${id}".`, param);
}

export function invalidState(message: string): ApiError {
	return new ApiError(409, ERROR_SLUGS.invalidState, message);
}
