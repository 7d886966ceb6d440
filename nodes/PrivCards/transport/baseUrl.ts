import { isHttpsOrLoopback, LOOPBACK_HOSTS_TEXT } from '../contract';

/**
 * Where the API key may be sent. Every request carries it in a header, so it goes out over HTTPS; plain
 * http only stays on this machine (an emulator on loopback). The node checks the credential's Base URL with this
 * before its first request, and the credential checks every request it authenticates (its own test included).
 */

/** Why the API key may not be sent to this URL, or undefined when it may. */
export function insecureUrlReason(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'must be a full URL starting with https://';
	}
	if (isHttpsOrLoopback(parsed)) return undefined;
	return `must start with https:// so the API key never travels in clear (plain http:// only to this machine: ${LOOPBACK_HOSTS_TEXT}); got ${parsed.protocol}//${parsed.host}`;
}
