package dev.meridian.cluster;

/**
 * Marker for transient cluster messages (commands and replies between nodes): serialized with Kryo, which
 * is fast and needs no annotations. Never used for anything persisted.
 */
public interface KryoSerializable {}
