import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** How an operation's records become output items: its own parameters, read per item before any request. */
export interface OutputShape<Item> {
	properties: INodeProperties[];
	read(context: IExecuteFunctions, itemIndex: number): (record: Item) => object;
}

/** Records output as the API sends them. */
export function rawOutput<Item extends object>(): OutputShape<Item> {
	return { properties: [], read: () => (record) => record };
}

/** n8n's usual "Simplify" switch (on by default): `simplify` when on, the API's record as is when off. */
export function simplifyOutput<Item extends object>(
	simplify: (record: Item) => object,
): OutputShape<Item> {
	return {
		properties: [
			{
				displayName: 'Simplify',
				name: 'simple',
				type: 'boolean',
				default: true,
				description:
					'Whether to return a simplified version of the response instead of the raw data',
			},
		],
		read(context, itemIndex) {
			const simple = context.getNodeParameter('simple', itemIndex, true) as unknown;
			return simple === false || simple === 'false' ? (record) => record : simplify;
		},
	};
}
