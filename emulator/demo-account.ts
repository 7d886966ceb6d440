/**
 * The demo account `npm run sandbox` and `npm start` open with (tests start with a bare account): a funded wallet,
 * labelled cards in every state with balances on both sides of the auto-fund example's 100 USD target, four months
 * of card payments with declines, settlements and refunds, 3DS challenges (one pending), and crypto deposits (one
 * pending).
 *
 * Deterministic, so a screenshot or a test can rely on it: the card ids are fixed, everything else comes from a
 * seeded PRNG, and every time is relative to the moment the emulator starts, so the history always ends "now".
 */
import type { CryptoCurrency, DeclineReason, Merchant } from '../nodes/PrivCards/contract';
import {
	ADS,
	DEMO_CARDS,
	DEMO_EXAMPLE_CARDS,
	OFF_LIMITS,
	SEED,
	SOFTWARE,
	WALLET_BALANCE,
} from './demo-data';
import type { DemoCard } from './demo-data';
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
