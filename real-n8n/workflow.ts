/** A workflow as n8n imports and stores it, and the owner login of the instances the tooling and the suites start. */

export const OWNER = { email: 'e2e@privcards.test', password: 'E2e-Passw0rd-1' };

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, unknown>;
	webhookId?: string;
	[k: string]: unknown;
}

export interface Workflow {
	id?: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	active?: boolean;
	[k: string]: unknown;
}
