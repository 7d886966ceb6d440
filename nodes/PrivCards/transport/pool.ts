export interface PoolOptions {
	/** How many tasks may run at once (≥ 1). */
	concurrency: number;
	/** Tasks of one lane run one after another, in index order; tasks without a lane only wait for a free slot. */
	laneOf?(index: number): string | undefined;
	/** The execution's cancel signal: once aborted, no task starts, and the pool rejects with `stopped()`. */
	signal?: AbortSignal;
	stopped?(): Error;
}

/** Inserts into an ascending list of indexes, keeping it ascending. */
function insertInOrder(list: number[], index: number): void {
	let low = 0;
	let high = list.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (list[middle] < index) low = middle + 1;
		else high = middle;
	}
	list.splice(low, 0, index);
}

/**
 * Runs `task(0)` … `task(count - 1)`, at most `concurrency` at once, starting them in index order as far as their
 * lanes allow. The first task to reject, or a Stop, stops new tasks from starting; the running ones finish, then the
 * pool rejects with that first error.
 */
export async function runPool(
	count: number,
	{
		concurrency,
		laneOf = () => undefined,
		signal,
		stopped = () => new Error('Stopped'),
	}: PoolOptions,
	task: (index: number) => Promise<void>,
): Promise<void> {
	// `ready` holds the tasks that may start now, in index order; a lane's later tasks wait in its queue.
	const ready: number[] = [];
	const waitingInLane = new Map<string, number[]>();
	for (let index = 0; index < count; index++) {
		const lane = laneOf(index);
		const queue = lane === undefined ? undefined : waitingInLane.get(lane);
		if (queue !== undefined) queue.push(index);
		else {
			if (lane !== undefined) waitingInLane.set(lane, []);
			ready.push(index);
		}
	}

	return await new Promise<void>((resolve, reject) => {
		let running = 0;
		let failure: { error: unknown } | undefined;

		const finish = (index: number) => {
			running--;
			const lane = laneOf(index);
			const next = lane === undefined ? undefined : waitingInLane.get(lane)?.shift();
			if (next !== undefined) insertInOrder(ready, next);
			startMore();
		};

		const startMore = () => {
			if (signal?.aborted === true) failure ??= { error: stopped() };
			while (failure === undefined && running < concurrency && ready.length > 0) {
				const index = ready.shift() as number;
				running++;
				task(index).then(
					() => finish(index),
					(error: unknown) => {
						failure ??= { error };
						finish(index);
					},
				);
			}
			if (running > 0) return;
			if (failure !== undefined) reject(failure.error);
			else resolve();
		};

		startMore();
	});
}
