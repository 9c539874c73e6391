package dev.meridian.cluster;

/**
 * Marker for everything persisted (events, snapshots): serialized with Jackson CBOR, so that schema
 * evolution can use Jackson migrations. Never Kryo: Kryo's format is tied to class layout.
 */
public interface CborSerializable {}
