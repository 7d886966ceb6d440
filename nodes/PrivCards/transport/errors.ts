import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import type { ApiErrorBody } from '../contract';
import { redactSecrets } from './redact';

function isApiErrorBody(body: unknown): body is ApiErrorBody {
	return (
		typeof body === 'object' &&
		body !== null &&
		typeof (body as ApiErrorBody).error === 'string' &&
		typeof (body as ApiErrorBody).message === 'string'
	);
}

export interface FailedResponse {
	statusCode: number;
	body: unknown;
	requestIdHeader?: string;
}

/**
 * An API error as n8n shows it: the API's own message, then slug, HTTP code, request id (and the offending
 * field when the API names one) in the description, so a support ticket can quote them.
 */
export function apiErrorFromResponse(
	node: INode,
	response: FailedResponse,
	itemIndex?: number,
): NodeApiError {
	const body = isApiErrorBody(response.body) ? response.body : undefined;
	const requestId = body?.request_id ?? response.requestIdHeader;
	const slug = body?.error ?? 'unexpected_response';
	const message = redactSecrets(body?.message ?? `PrivCards answered HTTP ${response.statusCode}`);
	// The API names the field it refused, and a field name can be whatever the request carried (a metadata key).
	const param = body?.param === undefined ? undefined : redactSecrets(String(body.param));
	const details = [
		`error: ${slug}`,
		`HTTP ${response.statusCode}`,
		requestId === undefined ? undefined : `request id: ${requestId}`,
		param === undefined ? undefined : `field: ${param}`,
	].filter((part) => part !== undefined);
	const errorResponse: JsonObject = {
		error: slug,
		message,
		code: response.statusCode,
		request_id: requestId ?? null,
		...(param === undefined ? {} : { param }),
	};
	return new NodeApiError(node, errorResponse, {
		message,
		description: details.join(' · '),
		httpCode: String(response.statusCode),
		itemIndex,
	});
}

/** A request that never got an answer. The original error is not attached: it carries the request headers. */
export function networkError(node: INode, reason: string, itemIndex?: number): NodeApiError {
	const message = `Could not reach PrivCards: ${redactSecrets(reason)}`;
	return new NodeApiError(
		node,
		{ error: 'network_error', message },
		{ message, description: 'The request was retried and still failed.', itemIndex },
	);
}
