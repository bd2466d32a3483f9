/** Commander's collector for an option given several times: `--x a --x b` → `["a", "b"]`. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
