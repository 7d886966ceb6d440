// The real-n8n tooling's public names in one place, for code written against the former single file.
// New code imports from the file that does the job: ./package (build, pack, community install),
// ./user-folder (N8nUserFolder), ./cli (CLI commands and run JSON), ./running (RunningN8n and its REST
// client), ./ports (freePort).

export { activateArgs, deactivateArgs, n8nMajor, nodeOutput, parseCliJson } from './cli';
export type { ExecuteResult, N8nRun } from './cli';
export {
	buildAndPackPackage,
	buildPackage,
	installCommunityPackage,
	packPackage,
	PACKAGE_NAME,
} from './package';
export type { InstalledPackage } from './package';
export { freePort, isPortFree } from './ports';
export { RunningN8n, startN8n } from './running';
export type { OwnerLogin, StartOptions, StoredWorkflow } from './running';
export { N8nUserFolder } from './user-folder';
export type { UserFolderOptions } from './user-folder';
