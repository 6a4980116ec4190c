// A console producer in the spirit of kafka-console-producer.sh, for brokers run from the jars
// that scripts/kafka.sh fetches (they hold kafka-clients but not kafka-tools, where Kafka's own
// ConsoleProducer lives): each line of standard input becomes one record, no key, value the
// line. The topic is created first when missing, with the given partition count.
//
//   java -cp '.kafka/libs/*' scripts/kafka/Produce.java HOST:PORT TOPIC [PARTITIONS] < lines
//
// Used by scripts/docker-rehearsal.sh. It prints one summary line on stderr.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

public class Produce {
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: Produce.java HOST:PORT TOPIC [PARTITIONS] < lines");
      System.exit(2);
    }
    String bootstrap = args[0], topic = args[1];
    int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) throw e;
    }
    props.put("acks", "all");
    props.put("key.serializer", StringSerializer.class.getName());
    props.put("value.serializer", StringSerializer.class.getName());
    int n = 0;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props);
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isEmpty()) continue;
        producer.send(new ProducerRecord<>(topic, null, line)).get();
        n++;
      }
    }
    System.err.printf("produced %d record(s) to %s (%d partitions) at %s%n", n, topic, partitions, bootstrap);
  }
}
