import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/** Run with a Java 17 launcher as a single source file: the remote driver on an older runtime. */
public class RemoteSmoke {
    public static void main(String[] args) throws Exception {
        Class.forName("io.ferrite.jdbc.RemoteDriver");
        try (Connection connection = DriverManager.getConnection(args[0]);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT value FROM strings WHERE key = 'from-17'")) {
            rs.next();
            System.out.println("java " + Runtime.version().feature() + " read " + rs.getString(1));
        }
    }
}
