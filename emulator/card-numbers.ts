/** Card numbers and expiry dates as the emulator issues them: 16 Luhn-valid digits after the BIN; end-of-day expiry. */
import { randomDigits } from './ids';
import { CARD_VALIDITY_YEARS } from './seed';

const PAN_LENGTH = 16;

/** The Luhn check digit that makes `payload` followed by it a valid card number. */
export function luhnCheckDigit(payload: string): string {
	let sum = 0;
	for (let index = 0; index < payload.length; index++) {
		let digit = Number(payload[payload.length - 1 - index]);
		if (index % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
		sum += digit;
	}
	return String((10 - (sum % 10)) % 10);
}

/** 16 digits, starting with the BIN, Luhn-valid. */
export function newPan(binId: string): string {
	const payload = binId + randomDigits(PAN_LENGTH - 1 - binId.length);
	return payload + luhnCheckDigit(payload);
}

/** The end of the day, CARD_VALIDITY_YEARS after issue (as the documented example). */
export function expiryOf(issuedAt: Date): Date {
	return new Date(
		Date.UTC(
			issuedAt.getUTCFullYear() + CARD_VALIDITY_YEARS,
			issuedAt.getUTCMonth(),
			issuedAt.getUTCDate(),
			23,
			59,
			59,
		),
	);
}
