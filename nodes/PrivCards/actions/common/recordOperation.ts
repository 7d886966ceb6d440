import type { INodeProperties } from 'n8n-workflow';

import { PATH_PARAMETER_PREFIXES } from '../../contract';
import type { RouteName } from '../../contract';
import { apiRequest } from '../../transport';
import { defineOperation } from '../operation';
import type { Operation } from '../operation';
import { readId } from './input';
import { rawOutput } from './outputShape';
import type { OutputShape } from './outputShape';

/** A record's ID as a parameter; its name is the route's path parameter (`transactionId`, `challengeId`, …). */
type RecordIdParameter = Exclude<keyof typeof PATH_PARAMETER_PREFIXES, 'cardId'>;

export interface RecordId {
	parameter: RecordIdParameter;
	/** How the field is shown and named in errors, e.g. "Transaction ID". */
	displayName: string;
	placeholder: string;
	description: string;
}

function recordIdField({
	parameter,
	displayName,
	placeholder,
	description,
}: RecordId): INodeProperties {
	return {
		displayName,
		name: parameter,
		type: 'string',
		required: true,
		default: '',
		placeholder,
		description: `${description} (starts with ${PATH_PARAMETER_PREFIXES[parameter]})`,
	};
}

interface RecordOperation<Response, Item extends object> {
	value: string;
	name: string;
	action: string;
	description: string;
	route: RouteName;
	id: RecordId;
	output?: OutputShape<Item>;
	/** The output made of the API's answer and the ID asked for (default: the answer). */
	result?: (response: Response, id: string) => Item;
}

/** One request about one record given by its ID: get, delete. */
export function recordOperation<Response extends object, Item extends object = Response>({
	route,
	id,
	output = rawOutput<Item>(),
	result = (response) => response as unknown as Item,
	...described
}: RecordOperation<Response, Item>): Operation {
	return defineOperation<{ id: string; present: (record: Item) => object }>({
		...described,
		properties: [recordIdField(id), ...output.properties],
		readInput(itemIndex) {
			return {
				id: readId(this, itemIndex, id.parameter, id.displayName, id.parameter),
				present: output.read(this, itemIndex),
			};
		},
		async execute({ id: recordId, present }, item) {
			const response = await apiRequest<Response>(this, {
				route,
				pathParameters: { [id.parameter]: recordId },
				itemIndex: item.itemIndex,
			});
			return present(result(response, recordId));
		},
	});
}
