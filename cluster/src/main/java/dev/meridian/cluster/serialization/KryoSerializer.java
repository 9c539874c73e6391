package dev.meridian.cluster.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ImmutableCollectionsSerializers;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.JSerializer;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Pekko serializer for transient cluster messages ({@link dev.meridian.cluster.KryoSerializable}) over
 * Kryo 5. No Kryo wrapper for Pekko is published, so this is the small part that is: unregistered classes
 * (the class name is written; both ends run the same build), typed actor refs through Pekko's resolver,
 * JDK immutable collections. One Kryo per thread, since Kryo instances are not thread-safe.
 */
public final class KryoSerializer extends JSerializer {

  private final ThreadLocal<Kryo> kryo;

  public KryoSerializer(ExtendedActorSystem system) {
    ActorRefResolver resolver = ActorRefResolver.get(Adapter.toTyped(system));
    this.kryo = ThreadLocal.withInitial(() -> newKryo(resolver));
  }

  private static Kryo newKryo(ActorRefResolver resolver) {
    Kryo k = new Kryo();
    k.setRegistrationRequired(false);
    k.setReferences(false);
    k.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    ImmutableCollectionsSerializers.addDefaultSerializers(k);
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
    return k;
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
