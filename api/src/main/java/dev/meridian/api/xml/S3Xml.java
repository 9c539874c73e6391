package dev.meridian.api.xml;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import com.fasterxml.jackson.dataformat.xml.JacksonXmlAnnotationIntrospector;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.dataformat.xml.ser.ToXmlGenerator;
import dev.meridian.api.S3Error;
import dev.meridian.api.S3Exception;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javax.xml.stream.XMLInputFactory;

/**
 * The S3 wire format: one Jackson XML mapper, hardened against DTDs and external entities (an XXE or an
 * entity-expansion body gets MalformedXML, never a fetch or a blow-up), and S3's timestamp format.
 */
public final class S3Xml {

  public static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";

  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private static final XmlMapper MAPPER = build();

  private S3Xml() {}

  private static XmlMapper build() {
    XMLInputFactory in = XMLInputFactory.newFactory();
    in.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    in.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    in.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    XmlMapper m = new XmlMapper(new XmlFactory(in));
    m.setAnnotationIntrospector(new S3Namespace());
    m.configure(ToXmlGenerator.Feature.WRITE_XML_DECLARATION, true);
    m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    m.configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, false);
    m.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    m.registerModule(new BlackbirdModule());
    return m;
  }

  /**
   * Puts every element of Meridian's documents in the S3 namespace. Jackson would otherwise write
   * {@code xmlns=""} on each child of a namespaced root, moving it out of the namespace.
   */
  private static final class S3Namespace extends JacksonXmlAnnotationIntrospector {
    @Override
    public String findNamespace(MapperConfig<?> config, Annotated ann) {
      String ns = super.findNamespace(config, ann);
      return ns == null || ns.isEmpty() ? NS : ns;
    }
  }

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a request body; anything that is not the expected well-formed XML is MalformedXML. */
  public static <T> T read(byte[] body, Class<T> type) {
    if (body.length == 0) throw new S3Exception(S3Error.MalformedXML);
    // S3 documents carry no DTD; one in a request is an entity attack or garbage, never data.
    if (new String(body, java.nio.charset.StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT).contains("<!DOCTYPE")) {
      throw new S3Exception(S3Error.MalformedXML);
    }
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) throw new S3Exception(S3Error.MalformedXML);
      return value;
    } catch (IOException | RuntimeException e) {
      if (e instanceof S3Exception s3) throw s3;
      throw new S3Exception(S3Error.MalformedXML);
    }
  }

  public static String timestamp(long epochMillis) {
    return ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis));
  }

  /** Escapes text for an XML element (used where XML is written by hand: the error document). */
  public static String escape(String s) {
    if (s == null) return "";
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&apos;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
