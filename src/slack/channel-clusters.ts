// CHANNEL_CLUSTERS (`C0123=prod,C0456=staging`) → which cluster a channel's checks run against. Pure.

export type ChannelClusters = ReadonlyMap<string, string>;

export function parseChannelClusters(pairs: readonly string[] | undefined): ChannelClusters {
  const map = new Map<string, string>();
  for (const pair of pairs ?? []) {
    const [channel, cluster] = pair.split('=').map((s) => s.trim());
    if (channel && cluster) map.set(channel, cluster);
  }
  return map;
}

export function clusterFor(channel: string, map: ChannelClusters, fallback: string, override?: string): string {
  return override ?? map.get(channel) ?? fallback;
}
