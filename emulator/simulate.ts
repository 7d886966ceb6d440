/**
 * `npm run sandbox -- simulate <decline|3ds|deposit>`: sets the examples off by calling a running emulator's
 * sandbox routes over HTTP with the sandbox key, as a card payment or a crypto deposit would. Each simulation
 * answers what happened and which webhook endpoints the event went to.
 */
import { ALL_EVENTS, fromCents, ROUTES, toCents } from '../nodes/PrivCards/contract';
import { SANDBOX_ROUTES } from './sandbox-routes';
import type {
	Bin,
	Card,
	Challenge,
	Deposit,
	EventType,
	ListPage,
	SandboxAuthorizationBody,
	Transaction,
	Wallet,
	WebhookEndpoint,
} from '../nodes/PrivCards/contract';
import { Client, pathOf, type ClientTarget } from './client';

/** Where `npm run sandbox` listens unless told otherwise. */
export const DEFAULT_SANDBOX_PORT = 4010;
export const DEFAULT_SANDBOX_URL = `http://127.0.0.1:${DEFAULT_SANDBOX_PORT}/v1`;

export interface Simulation {
	/** What happened, one line a fact, for the terminal. */
	lines: string[];
	/** The event types the simulation emitted. */
	events: EventType[];
}

export class SimulationError extends Error {}

interface CallInput {
	params?: Record<string, string>;
	query?: Record<string, string | number>;
	body?: unknown;
}

/** The body of a 2xx answer; anything else becomes a SimulationError with the API's message. */
async function call<T>(
	client: Client,
	route: { method: string; path: string },
	input: CallInput = {},
): Promise<T> {
	const path = pathOf(route, input.params);
	const response = await client.request(route.method, path, {
		body: input.body,
		query: input.query,
	});
	if (response.status >= 300) {
		const message = (response.body as { message?: string } | undefined)?.message;
		throw new SimulationError(
			`${route.method} ${path}: ${response.status} ${message ?? ''}`.trim(),
		);
	}
	return response.body as T;
}

const usd = (amount: number): string =>
	`${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USD`;

const cardName = (card: Card): string => `${card.label ?? card.id} •••• ${card.last4}`;

/** The endpoints subscribed to any of `types`, said in a line, with a hint when there are none. */
async function deliveryLine(client: Client, types: EventType[]): Promise<string> {
	const list = await call<ListPage<WebhookEndpoint>>(client, ROUTES.listWebhooks, {
		query: { per_page: 100 },
	});
	const subscribed = list.data.filter((endpoint) =>
		types.some((type) => endpoint.events.includes(type) || endpoint.events.includes(ALL_EVENTS)),
	);
	const named = types.join(' and ');
	if (subscribed.length === 0) {
		return (
			`No webhook endpoint listens to ${named} yet: in n8n, open a workflow with a PrivCards Trigger on it ` +
			'and click "Execute workflow" (or publish it), then run this again.'
		);
	}
	return `${named} sent to ${subscribed.map((endpoint) => endpoint.url).join(', ')}`;
}

/** The merchant a simulated payment goes to: in the card's first allowed category, so only the rule tried fires. */
function merchantFor(card: Card, name: string): SandboxAuthorizationBody['merchant'] {
	return {
		name,
		category: card.allowed_categories[0] ?? 'advertising',
		mcc: '7311',
		country: 'US',
	};
}

/** A card payment through the sandbox route, to a merchant in the card's first allowed category. */
async function pay(
	client: Client,
	card: Card,
	amount: number,
	merchant: string,
	require3ds?: true,
): Promise<Transaction> {
	const body: SandboxAuthorizationBody = {
		card_id: card.id,
		amount,
		merchant: merchantFor(card, merchant),
		require_3ds: require3ds,
	};
	return await call<Transaction>(client, SANDBOX_ROUTES.authorize, { body });
}

export interface PaymentOptions {
	cardId: string;
	/** USD. Decline: default the card's balance plus 25.00 (more than it holds). 3DS: default 19.99. */
	amount?: number;
	merchant?: string;
}

/** A card payment the card's rules refuse: `transaction.declined`. */
export async function simulateDecline(
	target: ClientTarget,
	options: PaymentOptions,
): Promise<Simulation> {
	const client = new Client(target);
	const card = await call<Card>(client, ROUTES.getCard, { params: { cardId: options.cardId } });
	const amount = options.amount ?? fromCents(toCents(card.balance + 25));
	const transaction = await pay(client, card, amount, options.merchant ?? 'SANDBOX ADS NETWORK');
	if (transaction.type !== 'decline') {
		return {
			lines: [
				`Not declined: ${usd(amount)} at ${transaction.merchant.name} was authorized on ${cardName(card)} ` +
					`(${transaction.id}). Ask for more than the card's balance (${usd(card.balance)}) with --amount.`,
				await deliveryLine(client, ['transaction.authorized']),
			],
			events: ['transaction.authorized'],
		};
	}
	return {
		lines: [
			`Declined: ${usd(amount)} at ${transaction.merchant.name} on ${cardName(card)}, ` +
				`reason ${transaction.decline_reason ?? 'unknown'} (${transaction.id})`,
			await deliveryLine(client, ['transaction.declined']),
		],
		events: ['transaction.declined'],
	};
}

/** A card payment that asks for 3DS: `transaction.authorized` and `3ds.challenge` with a one-time code. */
export async function simulate3ds(
	target: ClientTarget,
	options: PaymentOptions,
): Promise<Simulation> {
	const client = new Client(target);
	const card = await call<Card>(client, ROUTES.getCard, { params: { cardId: options.cardId } });
	const bins = await call<{ data: Bin[] }>(client, ROUTES.listBins);
	const bin = bins.data.find((candidate) => candidate.id === card.bin_id);
	if (bin !== undefined && !bin['3ds']) {
		const withThreeDs = bins.data
			.filter((candidate) => candidate['3ds'])
			.map((candidate) => candidate.id);
		throw new SimulationError(
			`${cardName(card)} is on BIN ${bin.id}, which has no 3DS: pick a card on BIN ${withThreeDs.join(' or ')}.`,
		);
	}
	const amount = options.amount ?? 19.99;
	const transaction = await pay(client, card, amount, options.merchant ?? 'SANDBOX CHECKOUT', true);
	if (transaction.type === 'decline') {
		throw new SimulationError(
			`The payment of ${usd(amount)} was declined (${transaction.decline_reason ?? 'unknown'}) before any 3DS ` +
				`challenge on ${cardName(card)} (balance ${usd(card.balance)}): try a smaller --amount or another card.`,
		);
	}
	const challenges = await call<ListPage<Challenge>>(client, ROUTES.listChallenges, {
		query: { card_id: card.id, status: 'pending' },
	});
	// Newest first: the challenge this payment opened.
	const challenge = challenges.data[0];
	return {
		lines: [
			`3DS challenge for ${usd(amount)} at ${transaction.merchant.name} on ${cardName(card)}: one-time code ` +
				`${challenge?.otp ?? '(not found)'}, valid until ${challenge?.expires_at ?? '?'}`,
			await deliveryLine(client, ['3ds.challenge']),
		],
		events: ['transaction.authorized', '3ds.challenge'],
	};
}

export interface DepositOptions {
	/** USD. */
	amount: number;
	/** Default usdt. */
	currency?: Deposit['currency'];
	/** Leave it pending (only `deposit.pending`); default: confirm it too. */
	pending?: boolean;
}

/** A crypto deposit arriving (`deposit.pending`) and, unless told otherwise, confirming (`deposit.confirmed`). */
export async function simulateDeposit(
	target: ClientTarget,
	options: DepositOptions,
): Promise<Simulation> {
	const client = new Client(target);
	const deposit = await call<Deposit>(client, SANDBOX_ROUTES.createDeposit, {
		body: { currency: options.currency ?? 'usdt', amount_usd: options.amount },
	});
	const lines = [
		`Deposit ${deposit.id}: ${deposit.amount} ${deposit.currency} (${usd(deposit.amount_usd)}) pending`,
	];
	const events: EventType[] = ['deposit.pending'];
	if (options.pending !== true) {
		await call<Deposit>(client, SANDBOX_ROUTES.confirmDeposit, {
			params: { depositId: deposit.id },
		});
		events.push('deposit.confirmed');
		const wallet = await call<Wallet>(client, ROUTES.getWallet);
		lines.push(`Confirmed: the wallet now holds ${usd(wallet.balance)}`);
	}
	lines.push(await deliveryLine(client, events));
	return { lines, events };
}
