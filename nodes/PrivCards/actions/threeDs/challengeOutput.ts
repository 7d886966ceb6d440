/** What a 3DS challenge looks like in the output: the notice above the operations' fields. */
export const CHALLENGE_OUTPUT_NOTICE =
	'A challenge has its ID, card ID, merchant, amount in USD, status, expiry time and otp: the one-time code that completes the 3DS verification while the challenge is pending.';
