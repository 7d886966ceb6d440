import { CARD_NETWORKS } from '../../contract';
import type { Bin, DataList } from '../../contract';
import { apiRequest } from '../../transport';
import { noticeFields } from '../common/fields';
import { choiceFilter, filtersCollection, readFilters } from '../common/filters';
import { defineOperation } from '../operation';
import { binOutput } from './binOutput';

/** The API lists every BIN in one answer and filters nothing, so the node filters what it got. */
const filters = [
	choiceFilter({
		name: 'network',
		displayName: 'Network',
		queryName: 'network',
		values: CARD_NETWORKS,
		description: 'Only BINs of this card network',
	}),
];

export const getMany = defineOperation<{
	network: unknown;
	present: (bin: Bin) => object;
}>({
	value: 'getMany',
	name: 'Get Many',
	action: 'Get many BINs',
	description: 'List the BINs (card ranges) cards can be issued on, with their limits',
	properties: [
		...noticeFields(
			"Use a BIN's ID as the BIN when creating a card. Each BIN has its network, type, 3DS, Apple Pay and Google Pay support, maximum per transaction and per month in USD, acceptance rate in percent and what it is best for.",
		),
		filtersCollection(filters),
		...binOutput.properties,
	],
	readInput(itemIndex) {
		const { network } = readFilters(this, itemIndex, filters);
		return { network, present: binOutput.read(this, itemIndex) };
	},
	async execute({ network, present }, item) {
		const { data } = await apiRequest<DataList<Bin>>(this, {
			route: 'listBins',
			itemIndex: item.itemIndex,
		});
		return data.filter((bin) => network === undefined || bin.network === network).map(present);
	},
});
