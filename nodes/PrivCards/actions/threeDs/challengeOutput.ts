/** What a 3DS challenge looks like in the output, for the operations' descriptions (a sentence without its final period). */
export const CHALLENGE_OUTPUT_NOTE =
	'A challenge has its ID, card ID, merchant, amount in USD, the one-time code (otp) to complete the 3DS verification, status and expiry time';
