package io.jobplane.events.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jobplane.events.egress.EgressPolicy.Endpoint;

class JdbcUrlsTest {

    @Test
    void readsEveryHostAndTheAllowedParameters() {
        JdbcUrls.Parsed p = JdbcUrls.check("jdbc:postgresql://h1,h2:5433,[::1]:6000/shop?sslmode=require&ApplicationName=x%20y");
        assertEquals(JdbcUrls.Driver.POSTGRESQL, p.driver());
        assertEquals(List.of(new Endpoint("h1", 5432), new Endpoint("h2", 5433), new Endpoint("::1", 6000)), p.hosts());
        assertEquals(Map.of("sslmode", "require", "ApplicationName", "x y"), p.parameters());
        JdbcUrls.Parsed m = JdbcUrls.check("jdbc:mysql://db.example.com/shop?useSSL=true&serverTimezone=UTC");
        assertEquals(List.of(new Endpoint("db.example.com", 3306)), m.hosts());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "jdbc:mysql://h/db?allowLoadLocalInfile=true", "jdbc:mysql://h/db?allowUrlInLocalInfile=true",
            "jdbc:mysql://h/db?autoDeserialize=true", "jdbc:mysql://h/db?queryInterceptors=x.Y",
            "jdbc:mysql://h/db?statementInterceptors=x.Y", "jdbc:mysql://h/db?exceptionInterceptors=x.Y",
            "jdbc:mysql://h/db?socketFactory=x.Y", "jdbc:mysql://h/db?authenticationPlugins=x.Y",
            "jdbc:mysql://h/db?ALLOWLOADLOCALINFILE=true", "jdbc:mysql://h/db?allow%4coadLocalInfile=true",
            "jdbc:mysql://h/db?useSSL=true&allowLoadLocalInfile=true",
            "jdbc:postgresql://h/db?socketFactory=x.Y", "jdbc:postgresql://h/db?sslfactory=x.Y",
            "jdbc:postgresql://h/db?sslhostnameverifier=x.Y", "jdbc:postgresql://h/db?loggerFile=/tmp/x",
            "jdbc:postgresql://h/db?loggerLevel=TRACE", "jdbc:postgresql://h/db?sslpasswordcallback=x.Y",
            "jdbc:postgresql://h/db?jaasApplicationName=x", "jdbc:postgresql://h/db?authenticationPluginClassName=x.Y",
            "jdbc:postgresql://h/db?options=-c%20x=y", "jdbc:postgresql://h/db?sslkey=/etc/keys",
            "jdbc:postgresql://h/db?service=x", "jdbc:postgresql://h/db?socketFactoryArg=x" })
    void refusesEveryParameterOffTheAllowlist(String url) {
        JdbcUrls.Refused e = assertThrows(JdbcUrls.Refused.class, () -> JdbcUrls.check(url));
        assertEquals("JDBC_PARAMETER_NOT_ALLOWED", e.code(), url);
        assertTrue(e.getMessage().contains("'" + e.parameter() + "'"), e.getMessage());
        assertTrue(e.fix().contains(url.startsWith("jdbc:mysql") ? "useSSL" : "sslmode"), e.fix());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "jdbc:postgresql:///db", "jdbc:postgresql://u:p@h/db", "jdbc:postgresql://h/db?password=x",
            "jdbc:postgresql://h/db?user=x", "jdbc:mysql://address=(host=h)(port=1)(allowLoadLocalInfile=true)/db",
            "jdbc:mysql://(host=h,port=1)/db", "jdbc:postgresql://h1,,h2/db", "jdbc:postgresql://h:0/db",
            "jdbc:postgresql://h:x/db", "jdbc:mysql:loadbalance://h/db", "jdbc:postgresql:db", "jdbc:postgresql://h/db#x",
            "jdbc:oracle:thin:@h:1521/x" })
    void refusesUrlsThatHideHostsOrCredentials(String url) {
        JdbcUrls.Refused e = assertThrows(JdbcUrls.Refused.class, () -> JdbcUrls.check(url));
        assertEquals("INVALID_JDBC_URL", e.code(), url);
    }

    @Test
    void connectPropertiesSetThePlatformsSocketFactory() {
        assertEquals(PgSocketFactory.class.getName(),
                JdbcUrls.connectProperties("jdbc:postgresql://h/db").getProperty("socketFactory"));
        var mysql = JdbcUrls.connectProperties("jdbc:mysql://203.0.114.1/db");
        assertEquals("false", mysql.getProperty("allowLoadLocalInfile"));
        var denied = assertThrows(java.io.UncheckedIOException.class,
                () -> JdbcUrls.connectProperties("jdbc:mysql://203.0.114.1,169.254.169.254/db"));
        assertTrue(denied.getCause() instanceof EgressDeniedException);
        assertThrows(JdbcUrls.Refused.class, () -> JdbcUrls.connectProperties("jdbc:postgresql://h/db?socketFactory=x"));
    }

    @Test
    void anEgressSocketRefusesBeforeItTouchesTheNetwork() throws Exception {
        try (EgressSocket s = new EgressSocket(EgressPolicy.strict())) {
            EgressDeniedException e = assertThrows(EgressDeniedException.class,
                    () -> s.connect(new InetSocketAddress("169.254.169.254", 80), 1000));
            assertEquals(EgressPolicy.Reason.METADATA, e.reason());
            assertTrue(s.isClosed());
        }
    }

    @Test
    void socketsOfTheFactoriesCheckTheInstalledPolicy() throws Exception {
        Egress.install(EgressPolicy.of(List.of("127.0.0.0/8"), List.of(new EgressPolicy.Endpoint("127.0.0.1", 15432))));
        try (var s = new PgSocketFactory().createSocket()) {
            EgressDeniedException e = assertThrows(EgressDeniedException.class,
                    () -> s.connect(new InetSocketAddress("127.0.0.1", 15432), 1000));
            assertEquals(EgressPolicy.Reason.PLATFORM, e.reason());
            assertEquals(e.reason(), EgressDeniedException.in(new java.sql.SQLException("wrapped", "08001", e)).reason());
        } finally {
            Egress.install(EgressPolicy.strict());
        }
    }
}
