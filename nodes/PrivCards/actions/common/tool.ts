import type { IExecuteFunctions } from 'n8n-workflow';

/** Whether this node runs as an AI agent's tool (n8n gives the tool variant of a node the type `<name>Tool`). */
export function isToolCall(context: IExecuteFunctions): boolean {
	return context.getNode().type.endsWith('Tool');
}
