// n8n's MCP Server Trigger in the sandbox: the examples that expose PrivCards tools to AI agents over MCP.
//
// The MCP example protects its endpoint with a bearer token (an n8n "Bearer Auth" credential): its tools move
// money, and an MCP Server Trigger without authentication answers anyone who can reach n8n.

import type { RunningN8n } from './running';

/** The MCP Server Trigger's node type (n8n's LangChain package). */
const MCP_TRIGGER_TYPE = '@n8n/n8n-nodes-langchain.mcpTrigger';

interface CredentialRef {
	id: string;
	name: string;
}

interface WorkflowLike {
	id?: unknown;
	name?: unknown;
	nodes?: Array<Record<string, unknown>>;
}

export interface McpServerWorkflow {
	workflowId: string;
	workflowName: string;
	/** The trigger's path: the server answers at `/mcp/<path>` (`/mcp-test/<path>` while testing in the editor). */
	path: string;
}

/**
 * Points every MCP Server Trigger that uses bearer authentication at `credential`, and lists the workflows that
 * serve MCP (id, name and path).
 */
export function useMcpToken(
	workflows: WorkflowLike[],
	credential: CredentialRef,
): McpServerWorkflow[] {
	const servers: McpServerWorkflow[] = [];
	for (const workflow of workflows) {
		for (const node of workflow.nodes ?? []) {
			if (node.type !== MCP_TRIGGER_TYPE) continue;
			const parameters = (node.parameters ?? {}) as Record<string, unknown>;
			if (parameters.authentication === 'bearerAuth') {
				node.credentials = {
					...((node.credentials as object | undefined) ?? {}),
					httpBearerAuth: credential,
				};
			}
			servers.push({
				workflowId: String(workflow.id),
				workflowName: String(workflow.name ?? workflow.id),
				path: String(parameters.path ?? ''),
			});
		}
	}
	return servers;
}

/** An n8n Bearer Auth credential holding `token`, in the shape `N8nUserFolder.importCredentials` takes. */
export function mcpTokenCredential(
	credential: CredentialRef,
	token: string,
): CredentialRef & { type: string; data: Record<string, unknown> } {
	return { ...credential, type: 'httpBearerAuth', data: { token } };
}

/** The production MCP endpoint (Streamable HTTP and SSE) of a trigger path. */
export function mcpUrl(baseUrl: string, path: string): string {
	return `${baseUrl.replace(/\/+$/, '')}/mcp/${path.replace(/^\/+/, '')}`;
}

/** Publishes, through the running n8n's REST API, each MCP server workflow that is not active yet (needs a login). */
export async function publishMcpServers(
	n8n: RunningN8n,
	servers: McpServerWorkflow[],
): Promise<string[]> {
	const active = new Set(await n8n.activeWorkflowIds());
	const published: string[] = [];
	for (const server of servers) {
		if (active.has(server.workflowId)) continue;
		await n8n.activate(server.workflowId);
		published.push(server.workflowName);
	}
	return published;
}
