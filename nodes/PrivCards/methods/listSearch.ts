import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { PAGINATION } from '../contract';
import type { Card, ListPage } from '../contract';
import { apiRequest } from '../transport';
import { formatUsd, titleCase } from '../display';

/**
 * What the picker shows and saves with the card: label and last 4, and the status when the card cannot take
 * payments ("frozen", "terminated"), because n8n 2.41's picker list shows names only. A frozen card unfrozen later
 * keeps "(frozen)" in a name saved before; the value saved is the card ID, which is what the node uses.
 */
function cardDisplayName(card: Card): string {
	const status = card.status === 'active' ? '' : ` (${card.status})`;
	return `${card.label ?? 'Card'} •••• ${card.last4}${status}`;
}

/** What the list shows under the name: the card's state now, which may change after it is picked. */
function cardDescription(card: Card): string {
	return `${titleCase(card.status)} · ${formatUsd(card.balance)} · ${card.id}`;
}

/** The card picker: one page of cards at a time, matched on label, last 4 or ID (the API has no search). */
export async function searchCards(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? PAGINATION.firstPage);
	const response = await apiRequest<ListPage<Card>>(this, {
		route: 'listCards',
		query: { page, per_page: PAGINATION.maxPerPage },
	});
	const needle = filter?.trim().toLowerCase() ?? '';
	const matches = response.data.filter(
		(card) =>
			needle === '' ||
			card.id.toLowerCase().includes(needle) ||
			card.last4.includes(needle) ||
			(card.label ?? '').toLowerCase().includes(needle),
	);
	const hasMore = response.has_more ?? response.data.length === PAGINATION.maxPerPage;
	return {
		results: matches.map((card) => ({
			name: cardDisplayName(card),
			value: card.id,
			description: cardDescription(card),
		})),
		paginationToken: hasMore ? String(page + 1) : undefined,
	};
}
