/**
 * Where the API key may be sent. Every request carries it in a header, so it goes out over HTTPS; plain
 * http only stays on this machine (an emulator on loopback). The node checks the credential's Base URL with this
 * before its first request, and the credential checks every request it authenticates (its own test included).
 */

/** 127.0.0.0/8, `localhost` and `[::1]`: hosts that plain http never leaves the machine for. */
function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase();
	return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Why the API key may not be sent to this URL, or undefined when it may. */
export function insecureUrlReason(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'must be a full URL starting with https://';
	}
	if (parsed.protocol === 'https:') return undefined;
	if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return undefined;
	return `must start with https:// so the API key never travels in clear (plain http:// only to this machine: localhost, 127.x.x.x, [::1]); got ${parsed.protocol}//${parsed.host}`;
}
