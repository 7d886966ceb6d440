import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { bin } from './bin';
import { card } from './card';
import { funding } from './funding';
import type { Operation, ResourceDefinition } from './operation';
import { threeDs } from './threeDs';
import { transaction } from './transaction';
import { wallet } from './wallet';
import { webhook } from './webhook';

/** Every resource of the action node, in the order the node shows them. */
export const RESOURCES: ResourceDefinition[] = [card, funding, transaction, wallet, bin, threeDs, webhook];

export function findOperation(resource: string, operation: string): Operation | undefined {
	return RESOURCES.find((candidate) => candidate.value === resource)?.operations.find(
		(candidate) => candidate.value === operation,
	);
}

/** The node's parameters: the resource picker, then each resource's operation picker and fields. */
export function buildProperties(): INodeProperties[] {
	const resourcePicker: INodeProperties = {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: RESOURCES.map(({ name, value, description }) => ({ name, value, description })),
		default: 'card',
	};
	const perResource = RESOURCES.flatMap((resource) => {
		const defaultOperation = resource.defaultOperation.value;
		const operationPicker: INodeProperties = {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.value] } },
			options: resource.operations.map(({ name, value, action, description }) => ({
				name,
				value,
				action,
				description,
			})),
			default: defaultOperation,
		};
		const fields = resource.operations.flatMap((operation) =>
			updateDisplayOptions(
				{ show: { resource: [resource.value], operation: [operation.value] } },
				operation.properties,
			),
		);
		return [operationPicker, ...fields];
	});
	return [resourcePicker, ...perResource];
}
