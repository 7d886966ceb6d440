import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { PAGINATION } from '../contract';
import type {
	Card,
	Challenge,
	ListPage,
	RouteName,
	Transaction,
	WebhookEndpoint,
} from '../contract';
import { apiRequest } from '../transport';
import { formatUsd, titleCase } from '../display';

interface Listed {
	name: string;
	description: string;
	/** What the search box matches, besides the ID. */
	text: string[];
}

/**
 * A picker list: one page of records at a time (newest first, as the API lists them), matched on the ID and the
 * record's `text` (the API has no search).
 */
async function searchList<Item extends { id: string }>(
	context: ILoadOptionsFunctions,
	route: Extract<RouteName, 'listCards' | 'listTransactions' | 'listChallenges' | 'listWebhooks'>,
	show: (item: Item) => Listed,
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? PAGINATION.firstPage);
	const response = await apiRequest<ListPage<Item>>(context, {
		route,
		query: { page, per_page: PAGINATION.maxPerPage },
	});
	const needle = filter?.trim().toLowerCase() ?? '';
	const results = response.data.flatMap((item) => {
		const { name, description, text } = show(item);
		const haystack = [item.id, ...text].map((part) => part.toLowerCase());
		if (needle !== '' && !haystack.some((part) => part.includes(needle))) return [];
		return [{ name, value: item.id, description }];
	});
	const hasMore = response.has_more ?? response.data.length === PAGINATION.maxPerPage;
	return { results, paginationToken: hasMore ? String(page + 1) : undefined };
}

/**
 * What the card picker shows and saves with the card: label and last 4, and the status when the card cannot take
 * payments ("frozen", "terminated"), because n8n 2.41's picker list shows names only. A frozen card unfrozen later
 * keeps "(frozen)" in a name saved before; the value saved is the card ID, which is what the node uses.
 */
function showCard(card: Card): Listed {
	const status = card.status === 'active' ? '' : ` (${card.status})`;
	return {
		name: `${card.label ?? 'Card'} •••• ${card.last4}${status}`,
		description: `${titleCase(card.status)} · ${formatUsd(card.balance)} · ${card.id}`,
		text: [card.last4, card.label ?? ''],
	};
}

function showTransaction(transaction: Transaction): Listed {
	const merchant = transaction.merchant?.name ?? 'No merchant';
	return {
		name: `${titleCase(transaction.type)} · ${formatUsd(transaction.amount)} · ${merchant}`,
		description: `${transaction.created_at} · ${transaction.card_id} · ${transaction.id}`,
		text: [merchant, transaction.card_id],
	};
}

function showChallenge(challenge: Challenge): Listed {
	return {
		name: `${challenge.merchant} · ${formatUsd(challenge.amount)} (${challenge.status})`,
		description: `${challenge.card_id} · ${challenge.id}`,
		text: [challenge.merchant, challenge.card_id],
	};
}

function showWebhook(webhook: WebhookEndpoint): Listed {
	return {
		name: webhook.url,
		description: `${webhook.events.join(', ')} · ${webhook.id}`,
		text: [webhook.url],
	};
}

export async function searchCards(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchList(this, 'listCards', showCard, filter, paginationToken);
}

export async function searchTransactions(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchList(this, 'listTransactions', showTransaction, filter, paginationToken);
}

export async function searchChallenges(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchList(this, 'listChallenges', showChallenge, filter, paginationToken);
}

export async function searchWebhooks(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchList(this, 'listWebhooks', showWebhook, filter, paginationToken);
}
