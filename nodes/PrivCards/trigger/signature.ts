import { createHmac, timingSafeEqual } from 'node:crypto';

/** A signature header may carry this scheme prefix (`sha256=<hex>`), as GitHub-style senders write it. */
const SIGNATURE_SCHEME_PREFIX = 'sha256=';

const HEX_SIGNATURE = /^[0-9a-f]{64}$/i;

/**
 * Lowercase hex of HMAC-SHA256 over the exact body bytes, keyed with the secret as UTF-8: the documented
 * recipe (`hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()`).
 */
export function computeSignature(rawBody: Buffer | string, secret: string): string {
	const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
	return createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex');
}

/** The 32 digest bytes a header value names, or undefined when it is not one hex SHA-256 signature. */
function signatureBytes(header: string): Buffer | undefined {
	let value = header.trim();
	if (value.toLowerCase().startsWith(SIGNATURE_SCHEME_PREFIX)) {
		value = value.slice(SIGNATURE_SCHEME_PREFIX.length);
	}
	// Buffer.from(…, 'hex') silently stops at the first non-hex character, so the format is checked first.
	if (!HEX_SIGNATURE.test(value)) return undefined;
	return Buffer.from(value, 'hex');
}

/**
 * Whether `header` is the signature of these exact body bytes under `secret`. The digests are compared in
 * constant time on equal-length buffers; a missing, empty or ill-formed header is simply not valid.
 */
export function verifySignature(
	rawBody: Buffer,
	header: string | undefined,
	secret: string,
): boolean {
	if (header === undefined || secret === '') return false;
	const received = signatureBytes(header);
	if (received === undefined) return false;
	const expected = Buffer.from(computeSignature(rawBody, secret), 'hex');
	return received.length === expected.length && timingSafeEqual(received, expected);
}
