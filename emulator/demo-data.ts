/**
 * What the demo account holds (the builder, demo-account.ts, turns it into records): the cards with their labels,
 * states, balances and spending patterns, the merchants they pay, and the cards the printed `simulate` commands use.
 */
import type { CardStatus, Merchant } from '../nodes/PrivCards/contract';

export const ADS: readonly Merchant[] = [
	{ name: 'META ADS', mcc: '7311', category: 'advertising', country: 'IE' },
	{ name: 'GOOGLE ADS', mcc: '7311', category: 'advertising', country: 'US' },
	{ name: 'TIKTOK ADS', mcc: '7311', category: 'advertising', country: 'SG' },
	{ name: 'LINKEDIN ADS', mcc: '7311', category: 'advertising', country: 'IE' },
];
export const SOFTWARE: readonly Merchant[] = [
	{ name: 'FIGMA', mcc: '5734', category: 'software', country: 'US' },
	{ name: 'NOTION LABS', mcc: '5734', category: 'software', country: 'US' },
	{ name: 'GITHUB', mcc: '5734', category: 'software', country: 'US' },
	{ name: 'AMAZON WEB SERVICES', mcc: '4816', category: 'software', country: 'US' },
];
const GENERAL: readonly Merchant[] = [
	{ name: 'AMAZON MARKETPLACE', mcc: '5999', category: 'ecommerce', country: 'US' },
	{ name: 'STAPLES', mcc: '5943', category: 'office_supplies', country: 'US' },
	{ name: 'DELTA AIR LINES', mcc: '3058', category: 'travel', country: 'US' },
	{ name: 'MARRIOTT HOTELS', mcc: '3509', category: 'travel', country: 'US' },
];
export const OFF_LIMITS: Merchant = {
	name: 'STEAM GAMES',
	mcc: '5816',
	category: 'gaming',
	country: 'US',
};

export interface DemoCard {
	readonly id: string;
	readonly label: string;
	readonly binId: string;
	readonly status: CardStatus;
	/** The card's balance now, in USD. */
	readonly balance: number;
	readonly issuedDaysAgo: number;
	/** When a frozen card was frozen, or a terminated one terminated. */
	readonly stoppedDaysAgo?: number;
	readonly spendingLimit?: number;
	readonly allowedCategories?: readonly string[];
	readonly autoFreezeAt?: number;
	readonly metadata?: Readonly<Record<string, string>>;
	readonly merchants: readonly Merchant[];
	readonly paymentsPerWeek: number;
	readonly paymentUsd: readonly [number, number];
}

/**
 * The cards, oldest first. Active balances: three below the auto-fund example's 100 USD target (it tops them up),
 * one exactly on it and two above (it leaves them alone).
 */
export const DEMO_CARDS: readonly DemoCard[] = [
	{
		id: 'card_7Hq2LmX9aB',
		label: 'Black Friday campaign',
		binId: '491653',
		status: 'terminated',
		balance: 0,
		issuedDaysAgo: 128,
		stoppedDaysAgo: 92,
		metadata: { team: 'growth', campaign: 'bf-2026' },
		merchants: ADS,
		paymentsPerWeek: 6,
		paymentUsd: [40, 450],
	},
	{
		id: 'card_Vb3nR8kQ2w',
		label: 'Meta Ads EU',
		binId: '491653',
		status: 'active',
		balance: 42.5,
		issuedDaysAgo: 121,
		spendingLimit: 5000,
		metadata: { team: 'growth', region: 'eu' },
		merchants: [ADS[0]],
		paymentsPerWeek: 4,
		paymentUsd: [25, 320],
	},
	{
		id: 'card_Kd9sW4pZ7c',
		label: 'Google Ads Search',
		binId: '491653',
		status: 'active',
		balance: 240,
		issuedDaysAgo: 118,
		spendingLimit: 5000,
		metadata: { team: 'growth' },
		merchants: [ADS[1]],
		paymentsPerWeek: 3,
		paymentUsd: [30, 280],
	},
	{
		id: 'card_Pt6yC1jM5e',
		label: 'Figma and Notion',
		binId: '532610',
		status: 'active',
		balance: 150,
		issuedDaysAgo: 110,
		spendingLimit: 600,
		allowedCategories: ['software'],
		metadata: { team: 'design' },
		merchants: SOFTWARE.slice(0, 2),
		paymentsPerWeek: 1,
		paymentUsd: [12, 75],
	},
	{
		id: 'card_Fz2gT7nH4r',
		label: 'Travel: Berlin offsite',
		binId: '445566',
		status: 'frozen',
		balance: 0.75,
		issuedDaysAgo: 96,
		stoppedDaysAgo: 20,
		autoFreezeAt: 1,
		metadata: { team: 'people' },
		merchants: GENERAL.slice(2),
		paymentsPerWeek: 1.5,
		paymentUsd: [60, 420],
	},
	{
		id: 'card_Xe5uJ3bN8s',
		label: 'AWS billing',
		binId: '532610',
		status: 'active',
		balance: 100,
		issuedDaysAgo: 90,
		spendingLimit: 2000,
		allowedCategories: ['software'],
		metadata: { team: 'engineering' },
		merchants: [SOFTWARE[3], SOFTWARE[2]],
		paymentsPerWeek: 1.5,
		paymentUsd: [40, 380],
	},
	{
		id: 'card_Lw8kE6vD1t',
		label: 'Meta Ads US (paused)',
		binId: '491653',
		status: 'frozen',
		balance: 310,
		issuedDaysAgo: 75,
		stoppedDaysAgo: 9,
		spendingLimit: 5000,
		metadata: { team: 'growth', region: 'us' },
		merchants: [ADS[0]],
		paymentsPerWeek: 4,
		paymentUsd: [30, 260],
	},
	{
		id: 'card_Ra4mY9cF6u',
		label: 'Old Notion plan',
		binId: '532610',
		status: 'terminated',
		balance: 0,
		issuedDaysAgo: 70,
		stoppedDaysAgo: 35,
		merchants: [SOFTWARE[1]],
		paymentsPerWeek: 0.5,
		paymentUsd: [8, 16],
	},
	{
		id: 'card_Nc1pQ5wG3v',
		label: 'TikTok Ads launch',
		binId: '491653',
		status: 'active',
		balance: 12.8,
		issuedDaysAgo: 41,
		spendingLimit: 3000,
		autoFreezeAt: 2,
		metadata: { team: 'growth', campaign: 'tiktok-launch' },
		merchants: [ADS[2]],
		paymentsPerWeek: 5,
		paymentUsd: [15, 140],
	},
	{
		id: 'card_Hj7xB2sK9w',
		label: 'Office supplies',
		binId: '445566',
		status: 'active',
		balance: 68.2,
		issuedDaysAgo: 24,
		metadata: { team: 'operations' },
		merchants: GENERAL.slice(0, 2),
		paymentsPerWeek: 2,
		paymentUsd: [9, 95],
	},
];

/** Cards the printed `simulate` commands use: an ads card to decline, one on a 3DS BIN for a challenge. */
export const DEMO_EXAMPLE_CARDS = {
	decline: 'card_Vb3nR8kQ2w',
	threeDs: 'card_Kd9sW4pZ7c',
} as const;

/** The wallet's balance now, in USD. */
export const WALLET_BALANCE = 4870.35;
export const SEED = 0x9c4d2026;
