const API_KEY_PATTERN = /sk_(?:live|test)_[A-Za-z0-9_]+/g;
/**
 * 13 to 19 digits, optionally grouped by spaces or dashes: anything that could be a card number. Bounded by
 * non-digits rather than word boundaries, so a number glued to letters or `_` (`card_4916…`) is caught too.
 */
const PAN_PATTERN = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;
/** A CVV after its name, however separated: `"cvv":"123"`, `cvv=123`, `cvv 123`. */
const CVV_FIELD_PATTERN = /(cvv[\s"':=]*)\d{3,4}(?!\d)/gi;

/** Removes API keys, card numbers and CVVs from text bound for an error message or a log. */
export function redactSecrets(text: string): string {
	return text
		.replace(API_KEY_PATTERN, 'sk_***')
		.replace(PAN_PATTERN, '[redacted card number]')
		.replace(CVV_FIELD_PATTERN, '$1***');
}

/** BIN (first 6) and last 4 kept, the middle masked: 4916 53** **** 1234 becomes 491653******1234. */
export function maskPan(pan: string): string {
	const digits = pan.replace(/\D/g, '');
	if (digits.length < 10) return '*'.repeat(digits.length);
	return `${digits.slice(0, 6)}${'*'.repeat(digits.length - 10)}${digits.slice(-4)}`;
}
