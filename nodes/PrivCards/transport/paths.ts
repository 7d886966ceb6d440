import { ID_BODY_PATTERN, PATH_PARAMETER_PREFIXES } from '../contract';
import type { PathParameter, Route } from '../contract';

export type PathParameters = Partial<Record<PathParameter, string>>;

/** Why an id cannot go into a path, or undefined when it can. */
export function invalidIdReason(parameter: PathParameter, id: string): string | undefined {
	const prefix = PATH_PARAMETER_PREFIXES[parameter];
	if (!id.startsWith(prefix)) return `must start with "${prefix}"`;
	if (!ID_BODY_PATTERN.test(id.slice(prefix.length))) {
		return `may only contain letters and digits after "${prefix}"`;
	}
	return undefined;
}

class InvalidPathParameterError extends Error {
	constructor(parameter: PathParameter, reason: string) {
		super(`"${parameter}" ${reason}`);
	}
}

/** Fills a route's `{name}` segments; an id that is missing or ill-formed never reaches the URL. */
export function buildPath(route: Route, parameters: PathParameters = {}): string {
	return route.path.replace(/\{(\w+)\}/g, (_segment, name: string) => {
		const parameter = name as PathParameter;
		const id = parameters[parameter];
		if (id === undefined || id === '') {
			throw new InvalidPathParameterError(parameter, 'is required');
		}
		const reason = invalidIdReason(parameter, id);
		if (reason !== undefined) throw new InvalidPathParameterError(parameter, reason);
		return encodeURIComponent(id);
	});
}
