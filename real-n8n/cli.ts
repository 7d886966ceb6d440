// n8n's CLI as this tooling uses it: the commands (which differ between the 1.x and 2.x lines) and the
// run JSON `n8n execute --rawOutput` prints.

/** n8n's major version (1 or 2) from a version string such as `1.123.81`. */
export function n8nMajor(version: string): number {
	return Number(version.split('.')[0]);
}

/**
 * The CLI arguments that make a workflow active at the next `n8n start`: `publish:workflow` on 2.x;
 * 1.x has no publishing (and no workflow versions), there `update:workflow --active=true` does it.
 */
export function activateArgs(version: string, workflowId: string): string[] {
	return n8nMajor(version) >= 2
		? ['publish:workflow', `--id=${workflowId}`]
		: ['update:workflow', `--id=${workflowId}`, '--active=true'];
}

/** The reverse of `activateArgs`: database only, a running n8n does not notice. */
export function deactivateArgs(version: string, workflowId: string): string[] {
	return n8nMajor(version) >= 2
		? ['unpublish:workflow', `--id=${workflowId}`]
		: ['update:workflow', `--id=${workflowId}`, '--active=false'];
}

export interface ExecuteResult {
	/** n8n's run status: 'success', 'error', … (judge by this, not by the exit code: it may exit 139). */
	status: string;
	/** The full IRun JSON n8n printed. */
	run: N8nRun;
	exitCode: number | null;
	stdout: string;
	stderr: string;
}

export interface N8nRun {
	status?: string;
	data?: {
		resultData?: {
			runData?: Record<
				string,
				Array<{
					data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> };
					error?: unknown;
				}>
			>;
			lastNodeExecuted?: string;
			error?: { message?: string; description?: string };
		};
	};
	[k: string]: unknown;
}

/** The items a node produced on its first output in its last run (empty when it did not run). */
export function nodeOutput(
	runResult: N8nRun,
	nodeName: string,
	output = 0,
): Array<Record<string, unknown>> {
	const runs = runResult.data?.resultData?.runData?.[nodeName];
	const last = runs?.[runs.length - 1];
	return (last?.data?.main?.[output] ?? []).map((i) => i.json);
}

/** The JSON object n8n prints after its log lines: from the first line starting with `{` to the first line `}`. */
export function parseCliJson(stdout: string): N8nRun | undefined {
	const lines = stdout.split('\n');
	for (let i = 0; i < lines.length; i++) {
		if (!lines[i].startsWith('{')) continue;
		for (let j = i; j < lines.length; j++) {
			if (lines[j].trimEnd() !== '}' && !(j === i && lines[j].trimEnd().endsWith('}'))) continue;
			try {
				return JSON.parse(lines.slice(i, j + 1).join('\n')) as N8nRun;
			} catch {
				// keep looking: this was not the end of the object
			}
		}
	}
	return undefined;
}
