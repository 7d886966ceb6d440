import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { PAGINATION } from '../contract';
import type { Card, ListPage } from '../contract';
import { apiRequest } from '../transport';

function cardDisplayName(card: Card): string {
	return `${card.label ?? 'Card'} •••• ${card.last4} (${card.status}, ${card.balance.toFixed(2)} USD)`;
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
		results: matches.map((card) => ({ name: cardDisplayName(card), value: card.id })),
		paginationToken: hasMore ? String(page + 1) : undefined,
	};
}
