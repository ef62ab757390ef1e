import org.xbill.DNS.*;
import java.net.*;
import java.time.Duration;
public class Q { public static void main(String[] a) throws Exception {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", 15353));
    r.setTimeout(Duration.ofMillis(500));
    for (String n : a) { String[] p = n.split("/");
    Message m = r.send(Message.newQuery(org.xbill.DNS.Record.newRecord(Name.fromString(p[0]), Type.value(p[1]), DClass.IN))); System.out.println(m);}
}}
