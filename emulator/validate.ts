import type { ZodIssue } from 'zod';

import { invalidRequest } from './api-error';
import type { Schema } from './schemas';

function offendingParam(issue: ZodIssue): string | undefined {
	if (issue.code === 'unrecognized_keys') return [...issue.path, issue.keys[0]].join('.');
	return issue.path.length > 0 ? issue.path.join('.') : undefined;
}

/** The input as the contract type, or a 400 `invalid_request` naming the first offending field. */
export function parseInput<T>(schema: Schema<T>, input: unknown, where: 'body' | 'query'): T {
	const result = schema.safeParse(input);
	if (result.success) return result.data;
	// An unknown name usually explains the rest (a misspelt field is also a missing one).
	const issues = result.error.issues;
	const issue = issues.find((candidate) => candidate.code === 'unrecognized_keys') ?? issues[0];
	const param = offendingParam(issue);
	if (param === undefined) {
		const reason = input === undefined ? 'is required' : `is invalid: ${issue.message}`;
		throw invalidRequest(`The request ${where} ${reason}.`);
	}
	if (issue.code === 'unrecognized_keys')
		throw invalidRequest(`Unknown parameter "${param}".`, param);
	throw invalidRequest(`Invalid parameter "${param}": ${issue.message}.`, param);
}
