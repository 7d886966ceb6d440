import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { Bin, DataList } from '../contract';
import { apiRequest } from '../transport';

export async function getBins(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { data } = await apiRequest<DataList<Bin>>(this, { route: 'listBins' });
	return data.map((bin) => ({
		name: `${bin.id} · ${bin.network} ${bin.type}`,
		value: bin.id,
		description: `Max ${bin.max_transaction} per transaction, ${bin.max_monthly} a month, ${bin.acceptance_rate}% accepted${bin['3ds'] ? ', 3DS' : ''}`,
	}));
}
