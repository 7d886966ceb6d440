/**
 * The demo account `npm run sandbox` and `npm start` open with (tests start with a bare account): a funded wallet,
 * labelled cards in every state with balances on both sides of the auto-fund example's 100 USD target, four months
 * of card payments with declines, settlements and refunds, 3DS challenges (one pending), and crypto deposits (one
 * pending).
 *
 * Deterministic, so a screenshot or a test can rely on it: the card ids are fixed, everything else comes from a
 * seeded PRNG, and every time is relative to the moment the emulator starts, so the history always ends "now".
 */
import type {
	CardStatus,
	CryptoCurrency,
	DeclineReason,
	Merchant,
} from '../nodes/PrivCards/contract';
import { dice } from './dice';
import type { Cents } from './money';
import { toCents } from '../nodes/PrivCards/contract';
import { expiryOf, luhnCheckDigit } from './card-numbers';
import { DEPOSIT_ADDRESSES, findBin, USD_PER_UNIT } from './seed';
import type { CardRecord, ChallengeRecord, DepositRecord, Store, TransactionRecord } from './store';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Times are stated to the second, as the API does. */
const toSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The demo account's draws, from one seeded generator: the same seed gives the same account on every machine. */
class Dice {
	private readonly roll: () => number;

	constructor(seed: number) {
		this.roll = dice(seed);
	}

	/** In [0, 1). */
	next(): number {
		return this.roll();
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	/** An integer in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	/** A USD amount in [min, max] as cents. */
	cents(minUsd: number, maxUsd: number): Cents {
		return this.int(toCents(minUsd), toCents(maxUsd));
	}

	chars(alphabet: string, length: number): string {
		let text = '';
		for (let index = 0; index < length; index++)
			text += alphabet[Math.floor(this.next() * alphabet.length)];
		return text;
	}
}

const ADS: readonly Merchant[] = [
	{ name: 'META ADS', mcc: '7311', category: 'advertising', country: 'IE' },
	{ name: 'GOOGLE ADS', mcc: '7311', category: 'advertising', country: 'US' },
	{ name: 'TIKTOK ADS', mcc: '7311', category: 'advertising', country: 'SG' },
	{ name: 'LINKEDIN ADS', mcc: '7311', category: 'advertising', country: 'IE' },
];
const SOFTWARE: readonly Merchant[] = [
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
const OFF_LIMITS: Merchant = {
	name: 'STEAM GAMES',
	mcc: '5816',
	category: 'gaming',
	country: 'US',
};

interface DemoCard {
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
const WALLET_BALANCE = 4870.35;
const SEED = 0x9c4d2026;

interface Payment {
	card: CardRecord;
	at: number;
	merchant: Merchant;
	amount: Cents;
}

/** Builds everything in memory, then hands it to the store oldest first (its maps are in creation order). */
class DemoBuilder {
	private readonly dice = new Dice(SEED);
	readonly cards: CardRecord[] = [];
	readonly transactions: TransactionRecord[] = [];
	readonly challenges: ChallengeRecord[] = [];
	readonly deposits: DepositRecord[] = [];
	totalSpent: Cents = 0;
	/** Authorized but not settled yet: still held on the cards' side of the books. */
	held: Cents = 0;

	constructor(private readonly now: number) {}

	/** A time `daysAgo` before start-up, moved by up to `jitterHours`, to the second, never in the future. */
	private at(daysAgo: number, jitterHours = 0): number {
		const jitter =
			jitterHours === 0 ? 0 : this.dice.int(-jitterHours * 60, jitterHours * 60) * MINUTE;
		return toSecond(Math.min(this.now - MINUTE, this.now - daysAgo * DAY + jitter));
	}

	private id(prefix: string): string {
		return prefix + this.dice.chars(BASE62, 10);
	}

	private book(
		payment: Payment,
		type: TransactionRecord['type'],
		at: number,
		declineReason: DeclineReason | null = null,
		authorizationId: string | null = null,
	): TransactionRecord {
		const record: TransactionRecord = {
			id: this.id('txn_'),
			cardId: payment.card.id,
			type,
			amount: payment.amount,
			merchant: { ...payment.merchant },
			declineReason,
			authorizationId,
			createdAt: new Date(at),
		};
		this.transactions.push(record);
		return record;
	}

	private challenge(payment: Payment, status: ChallengeRecord['status'], expiresAt: number): void {
		this.challenges.push({
			id: this.id('3ds_'),
			cardId: payment.card.id,
			merchant: payment.merchant.name,
			amount: payment.amount,
			otp: this.dice.chars('0123456789', 6),
			status,
			expiresAt: new Date(expiresAt),
		});
	}

	/** An authorization, settled a day or two later and now and then refunded, as time allows. */
	private authorize(payment: Payment, withChallenge: boolean): TransactionRecord {
		const authorization = this.book(payment, 'authorization', payment.at);
		if (withChallenge) this.challenge(payment, 'approved', payment.at + 5 * MINUTE);
		const settledAt = payment.at + this.dice.int(18, 50) * HOUR;
		if (settledAt >= this.now) {
			this.held += payment.amount;
			return authorization;
		}
		this.book(payment, 'settlement', settledAt, null, authorization.id);
		this.totalSpent += payment.amount;
		const refundedAt = settledAt + this.dice.int(2, 9) * DAY;
		if (this.dice.chance(0.06) && refundedAt < this.now) {
			this.book(payment, 'refund', refundedAt, null, authorization.id);
			this.totalSpent -= payment.amount;
		}
		return authorization;
	}

	addCard(spec: DemoCard): void {
		const bin = findBin(spec.binId);
		if (bin === undefined) throw new Error(`demo card ${spec.id}: unknown BIN ${spec.binId}`);
		const createdAt = new Date(this.at(spec.issuedDaysAgo, 6));
		const payload = bin.id + this.dice.chars('0123456789', 15 - bin.id.length);
		const card: CardRecord = {
			id: spec.id,
			bin,
			pan: payload + luhnCheckDigit(payload),
			cvv: this.dice.chars('0123456789', 3),
			status: spec.status,
			balance: toCents(spec.balance),
			spendingLimit: toCents(spec.spendingLimit ?? bin.max_monthly),
			label: spec.label,
			allowedCategories: [...(spec.allowedCategories ?? [])],
			autoFreezeAt: spec.autoFreezeAt === undefined ? null : toCents(spec.autoFreezeAt),
			metadata: { ...spec.metadata },
			createdAt,
			expiresAt: expiryOf(createdAt),
		};
		this.cards.push(card);
		this.payments(spec, card);
	}

	/** The card's history: payments at its pace until it was stopped, then a declined try or two. */
	private payments(spec: DemoCard, card: CardRecord): void {
		const stoppedAt = spec.stoppedDaysAgo === undefined ? this.now : this.at(spec.stoppedDaysAgo);
		const meanGap = (7 * DAY) / spec.paymentsPerWeek;
		const payment = (at: number, merchant = this.dice.pick(spec.merchants)): Payment => ({
			card,
			at,
			merchant,
			amount: this.dice.cents(...spec.paymentUsd),
		});
		let at = card.createdAt.getTime() + this.dice.int(2, 20) * HOUR;
		while (at < stoppedAt - HOUR) {
			const roll = this.dice.next();
			if (roll < 0.05) {
				const big = payment(at);
				big.amount += toCents(spec.paymentUsd[1]);
				this.book(big, 'decline', at, 'insufficient_balance');
			} else if (roll < 0.08 && card.allowedCategories.length > 0) {
				this.book(payment(at, OFF_LIMITS), 'decline', at, 'category_not_allowed');
			} else {
				this.authorize(payment(at), card.bin['3ds'] && this.dice.chance(0.12));
			}
			at = toSecond(at + meanGap * (0.4 + 1.2 * this.dice.next()));
		}
		if (card.status === 'active') return;
		const reason: DeclineReason = card.status === 'frozen' ? 'card_frozen' : 'card_terminated';
		for (let tries = this.dice.int(1, 2); tries > 0; tries--) {
			const triedAt = toSecond(stoppedAt + (this.now - stoppedAt - MINUTE) * this.dice.next());
			this.book(payment(triedAt), 'decline', triedAt, reason);
		}
	}

	/** Payments every reader of the account will meet: a too-large one, an expired and a pending 3DS challenge. */
	addHighlights(): void {
		const byId = (id: string) => {
			const card = this.cards.find((candidate) => candidate.id === id);
			if (card === undefined) throw new Error(`demo card ${id} is missing`);
			return card;
		};
		const aws = byId('card_Xe5uJ3bN8s');
		const tooLarge = { card: aws, at: this.at(6, 2), merchant: SOFTWARE[3], amount: toCents(1250) };
		this.book(tooLarge, 'decline', tooLarge.at, 'exceeds_max_transaction');

		const ads = byId(DEMO_EXAMPLE_CARDS.threeDs);
		const expired = { card: ads, at: this.at(2, 3), merchant: ADS[1], amount: toCents(189) };
		this.challenge(expired, 'expired', expired.at + 5 * MINUTE);
		// Pending for a day, not the usual five minutes, so it is still pending whenever the editor is opened.
		const pending = {
			card: ads,
			at: this.now - 2 * MINUTE,
			merchant: ADS[1],
			amount: toCents(64.9),
		};
		this.authorize(pending, false);
		this.challenge(pending, 'pending', this.now + DAY);
	}

	/** Deposits that add up to everything the account holds or has spent, and one still pending. */
	addDeposits(walletBalance: Cents): Cents {
		const onCards = this.cards.reduce((sum, card) => sum + card.balance, 0);
		const total = walletBalance + onCards + this.totalSpent + this.held;
		const shares = [0.34, 0.22, 0.18, 0.14];
		const currencies: CryptoCurrency[] = ['btc', 'usdt', 'eth', 'usdt', 'sol'];
		const daysAgo = [130, 101, 72, 44, 15];
		let left = total;
		currencies.forEach((currency, index) => {
			const share = shares[index];
			const amountUsd = share === undefined ? left : Math.round((total * share) / 100) * 100;
			left -= amountUsd;
			const createdAt = this.at(daysAgo[index], 4);
			this.deposit(currency, amountUsd, createdAt, createdAt + this.dice.int(12, 55) * MINUTE);
		});
		this.deposit('usdt', toCents(250), this.now - 12 * MINUTE, null);
		return total;
	}

	private deposit(
		currency: CryptoCurrency,
		amountUsd: Cents,
		createdAt: number,
		confirmedAt: number | null,
	): void {
		const address = DEPOSIT_ADDRESSES.find((candidate) => candidate.currency === currency);
		if (address === undefined || amountUsd < toCents(address.min_deposit_usd))
			throw new Error(`demo deposit of ${amountUsd} cents in ${currency} is below the minimum`);
		this.deposits.push({
			id: this.id('dep_'),
			currency,
			amount: Number((amountUsd / 100 / USD_PER_UNIT[currency]).toFixed(8)),
			amountUsd,
			status: confirmedAt === null ? 'pending' : 'confirmed',
			txHash: this.dice.chars('0123456789abcdef', 64),
			createdAt: new Date(createdAt),
			confirmedAt: confirmedAt === null ? null : new Date(confirmedAt),
		});
	}
}

function oldestFirst<Record>(records: Record[], time: (record: Record) => Date): Record[] {
	return records
		.map((record, index) => ({ record, index }))
		.sort((a, b) => time(a.record).getTime() - time(b.record).getTime() || a.index - b.index)
		.map(({ record }) => record);
}

/** Fills an empty store with the demo account, times counted back from the store's clock. */
export function seedDemoAccount(store: Store): void {
	const builder = new DemoBuilder(store.now().getTime());
	for (const card of DEMO_CARDS) builder.addCard(card);
	builder.addHighlights();
	const walletBalance = toCents(WALLET_BALANCE);
	const totalDeposited = builder.addDeposits(walletBalance);

	for (const card of oldestFirst(builder.cards, (record) => record.createdAt))
		store.cards.set(card.id, card);
	for (const transaction of oldestFirst(builder.transactions, (record) => record.createdAt))
		store.transactions.set(transaction.id, transaction);
	// A challenge is created with its payment, five minutes (a day, for the pending one) before it expires.
	for (const challenge of oldestFirst(builder.challenges, (record) => record.expiresAt))
		store.challenges.set(challenge.id, challenge);
	for (const deposit of oldestFirst(builder.deposits, (record) => record.createdAt))
		store.deposits.set(deposit.id, deposit);
	store.walletBalance = walletBalance;
	store.totalDeposited = totalDeposited;
	store.totalSpent = builder.totalSpent;
}
