/**
 * An API key is its prefix and everything up to the next space, quote or bracket: whatever characters a key may hold
 * (`sk_live_abc-DEF.123`), none of it is kept. Any case, as text may have been upper-cased on its way.
 */
const API_KEY_PATTERN = /sk_(?:live|test)_[^\s"'`<>()[\]{},;|\\]*/gi;
/** Digits of any script (`4`, full-width `４`), as a card number may be typed. */
const DIGIT = '\\p{Nd}';
/** Between a card number's digits: up to 2 of spaces of any kind, dashes of any kind, dots, slashes. */
const PAN_SEPARATORS = '[\\s\\-\\u2010-\\u2015\\u2212\\uFF0D.\\uFF0E\\u00B7/]{0,2}';
/**
 * 13 or more digits, optionally grouped: anything that could be a card number. Bounded by non-digits rather than
 * word boundaries, so a number glued to letters or `_` (`card_4916…`) is caught too; no upper bound, so a number
 * glued to more digits is caught as well.
 */
const PAN_PATTERN = new RegExp(
	`(?<!${DIGIT})${DIGIT}(?:${PAN_SEPARATORS}${DIGIT}){12,}(?!${DIGIT})`,
	'gu',
);
/**
 * A card's security code after its name, however separated: `"cvv":"123"`, `cvv2=123`, `CVC 123`,
 * `security_code: ４５６`, `'cvc' => '456'`.
 */
const CVV_FIELD_PATTERN = new RegExp(
	`((?<![a-z])(?:cvv2?|cvc2?|csc|security[\\s_-]?code|card[\\s_-]?verification[\\s_-]?(?:value|code))[\\s"':=>]*)${DIGIT}{3,4}(?!${DIGIT})`,
	'giu',
);

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
