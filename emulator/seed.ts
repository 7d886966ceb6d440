/**
 * The fixed catalogue the emulator starts with. Values here are the emulator's own (the real API's differ);
 * only the first BIN is the documented one.
 */
import type { Bin, CryptoCurrency, DepositAddress } from '../nodes/PrivCards/contract';

export const BINS: readonly Bin[] = [
	{
		id: '491653',
		network: 'visa',
		type: 'advertising',
		'3ds': true,
		apple_pay: true,
		google_pay: true,
		max_transaction: 5000,
		max_monthly: 50000,
		acceptance_rate: 97.2,
		best_for: ['meta_ads', 'google_ads', 'tiktok_ads'],
	},
	{
		id: '532610',
		network: 'mastercard',
		type: 'software',
		'3ds': true,
		apple_pay: true,
		google_pay: false,
		max_transaction: 1000,
		max_monthly: 10000,
		acceptance_rate: 95.4,
		best_for: ['saas', 'subscriptions'],
	},
	{
		id: '445566',
		network: 'visa',
		type: 'general',
		'3ds': false,
		apple_pay: false,
		google_pay: false,
		max_transaction: 2500,
		max_monthly: 20000,
		acceptance_rate: 92.8,
		best_for: ['ecommerce'],
	},
];

export function findBin(id: string): Bin | undefined {
	return BINS.find((bin) => bin.id === id);
}

export const DEPOSIT_ADDRESSES: readonly DepositAddress[] = [
	{
		currency: 'btc',
		network: 'bitcoin',
		address: 'tb1qsandbox0privcards0emulator0btc0addr',
		min_deposit_usd: 50,
	},
	{
		currency: 'eth',
		network: 'ethereum',
		address: '0x5a4db0c0ffee000000000000000000000000e7e7',
		min_deposit_usd: 20,
	},
	{
		currency: 'sol',
		network: 'solana',
		address: 'SandboxPrivCardsEmu1ator5o1Address1111111',
		min_deposit_usd: 10,
	},
	{
		currency: 'usdt',
		network: 'tron',
		address: 'TSandboxPrivCardsEmulatorUsdtAddr01',
		min_deposit_usd: 10,
	},
];

/** Fixed exchange rates the sandbox uses to state a deposit's amount in crypto units. */
export const USD_PER_UNIT: Readonly<Record<CryptoCurrency, number>> = {
	btc: 60000,
	eth: 3000,
	sol: 150,
	usdt: 1,
};

/** Merchant fields a simulated authorization may leave out. */
export const MERCHANT_DEFAULTS = { mcc: '5999', country: 'US' } as const;

/** How long a 3DS challenge's OTP stays usable. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

/** A card expires at the end of the day, this many years after it is issued (as the documented example). */
export const CARD_VALIDITY_YEARS = 3;
