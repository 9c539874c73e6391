package dev.meridian.cluster.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import java.util.UUID;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.JSerializer;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.stream.SinkRef;
import org.apache.pekko.stream.SourceRef;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Pekko serializer for transient cluster messages ({@link dev.meridian.cluster.KryoSerializable}) over
 * Kryo 5. No Kryo wrapper for Pekko is published, so this is the small part that is: unregistered classes
 * (the class name is written; both ends run the same build), typed actor refs through Pekko's resolver,
 * stream refs through Pekko's own serializer, JDK immutable collections. One Kryo per thread, since Kryo instances are not thread-safe.
 */
public final class KryoSerializer extends JSerializer {

  private final ThreadLocal<Kryo> kryo;

  public KryoSerializer(ExtendedActorSystem system) {
    ActorRefResolver resolver = ActorRefResolver.get(Adapter.toTyped(system));
    this.kryo = ThreadLocal.withInitial(() -> newKryo(resolver, system));
  }

  private static Kryo newKryo(ActorRefResolver resolver, ExtendedActorSystem system) {
    Kryo k = new Kryo();
    k.setRegistrationRequired(false);
    k.setReferences(false);
    k.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    ImmutableCollectionsSerializers.addDefaultSerializers(k);
    // JDK value classes whose private fields Java 17 does not open to reflection.
    k.addDefaultSerializer(UUID.class, new DefaultSerializers.UUIDSerializer());
    k.addDefaultSerializer(ActorRef.class, new Serializer<ActorRef<?>>() {
      @Override
      public void write(Kryo kryo, Output output, ActorRef<?> ref) {
        output.writeString(resolver.toSerializationFormat(ref));
      }

      @Override
      public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
        return resolver.resolveActorRef(input.readString());
      }
    });
    // Stream refs (bytes between regions) have Pekko's own serializer; Kryo carries its output.
    k.addDefaultSerializer(SourceRef.class, new PekkoDelegate<SourceRef<?>>(system));
    k.addDefaultSerializer(SinkRef.class, new PekkoDelegate<SinkRef<?>>(system));
    return k;
  }

  /** Writes an object with the Pekko serializer bound to it: serializer id, manifest, bytes. */
  private static final class PekkoDelegate<T> extends Serializer<T> {
    private final ExtendedActorSystem system;

    PekkoDelegate(ExtendedActorSystem system) {
      this.system = system;
    }

    @Override
    public void write(Kryo kryo, Output output, T value) {
      Serialization serialization = SerializationExtension.get(system);
      org.apache.pekko.serialization.Serializer s = serialization.findSerializerFor(value);
      byte[] bytes = s.toBinary(value);
      output.writeInt(s.identifier());
      output.writeString(Serializers.manifestFor(s, value));
      output.writeInt(bytes.length);
      output.writeBytes(bytes);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
      int id = input.readInt();
      String manifest = input.readString();
      byte[] bytes = input.readBytes(input.readInt());
      return (T) SerializationExtension.get(system).deserialize(bytes, id, manifest).get();
    }
  }

  @Override
  public int identifier() {
    return 7341;
  }

  @Override
  public boolean includeManifest() {
    return false;
  }

  @Override
  public byte[] toBinary(Object o) {
    Output out = new Output(256, -1);
    kryo.get().writeClassAndObject(out, o);
    return out.toBytes();
  }

  @Override
  public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
    return kryo.get().readClassAndObject(new Input(bytes));
  }
}
