/** Every timer the emulator sets, so that stopping it leaves none behind. */
export class Timers {
	private readonly pending = new Set<ReturnType<typeof setTimeout>>();

	/** Runs `task` after `ms`; the returned function cancels it. */
	after(ms: number, task: () => void): () => void {
		const timer = setTimeout(() => {
			this.pending.delete(timer);
			task();
		}, ms);
		this.pending.add(timer);
		return () => {
			clearTimeout(timer);
			this.pending.delete(timer);
		};
	}

	/** Resolves after `ms`, or never once `cancelAll` has run. */
	async sleep(ms: number): Promise<void> {
		await new Promise<void>((resolve) => this.after(ms, resolve));
	}

	cancelAll(): void {
		for (const timer of this.pending) clearTimeout(timer);
		this.pending.clear();
	}
}
