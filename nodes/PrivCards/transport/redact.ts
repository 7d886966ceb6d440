const API_KEY_PATTERN = /sk_(?:live|test)_[A-Za-z0-9_]+/g;
/** 13 to 19 digits, optionally grouped by spaces or dashes: anything that could be a card number. */
const PAN_PATTERN = /\b\d(?:[ -]?\d){12,18}\b/g;
const CVV_FIELD_PATTERN = /("?cvv"?\s*[:=]\s*"?)\d{3,4}/gi;

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
