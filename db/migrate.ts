// placeholder: replaced by the real migration runner
export async function migrate(_databaseUrl: string): Promise<void> {}
