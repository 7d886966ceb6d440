import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { Bin, DataList } from '../contract';
import { apiRequest } from '../transport';
import { formatUsd, titleCase } from '../display';

export async function getBins(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { data } = await apiRequest<DataList<Bin>>(this, { route: 'listBins' });
	return data.map((bin) => ({
		name: `${titleCase(bin.network)} ${titleCase(bin.type)} (${bin.id})`,
		value: bin.id,
		description: `Max ${formatUsd(bin.max_transaction)} per transaction, ${formatUsd(bin.max_monthly)} a month, ${bin.acceptance_rate}% accepted${bin['3ds'] ? ', 3DS' : ''}`,
	}));
}
