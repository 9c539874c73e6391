/**
 * Meridian's cluster: regions as Pekko data centers, buckets and their object partitions as sharded,
 * event-sourced entities, and {@link dev.meridian.cluster.BucketService}, the one entry point the S3 API
 * uses. Events and snapshots are Jackson CBOR ({@link dev.meridian.cluster.CborSerializable}); transient
 * cluster messages are Kryo ({@link dev.meridian.cluster.KryoSerializable}).
 */
package dev.meridian.cluster;
