import java.io.*;
import java.nio.charset.StandardCharsets;

// Writes what Nippy 2.12 – 2.14 froze for a Throwable (Onyx 0.9.11 – 0.14.6
// /exception znodes): "NPY" 0, id 46, the class name with a 1-byte length,
// then ObjectOutputStream bytes with no length prefix.
public class SerializedException {
    public static void main(String[] args) throws Exception {
        Exception cause = new IllegalStateException("aeron media driver not running");
        RuntimeException e = new RuntimeException("peer crashed: task :inc threw", cause);
        e.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("onyx.peer.task_lifecycle$run_task", "invoke", "task_lifecycle.clj", 42)});
        cause.setStackTrace(new StackTraceElement[0]);
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.write("NPY".getBytes(StandardCharsets.US_ASCII));
        out.writeByte(0);
        byte[] name = e.getClass().getName().getBytes(StandardCharsets.UTF_8);
        out.writeByte(46);
        out.writeByte(name.length);
        out.write(name);
        ObjectOutputStream oos = new ObjectOutputStream(out);
        oos.writeObject(e);
        oos.flush();
        System.out.write(bos.toByteArray());
        System.out.flush();
    }
}
