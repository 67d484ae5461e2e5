/*
 * Starts a Neo4j Community server in this JVM: what the distribution's `bin/neo4j console`
 * does, without the distribution. tools/neo4j/launch.py runs it as a single-file program
 * (`java -cp <jars resolved by Maven> OrgnetNeo4j.java --home-dir=... --config-dir=...`).
 * The same two calls start Neo4j 5.26 LTS and the calendar versions (2025.x, 2026.x).
 */
import org.neo4j.server.CommunityBootstrapper;
import org.neo4j.server.NeoBootstrapper;

public final class OrgnetNeo4j {
    private OrgnetNeo4j() {
    }

    public static void main(String[] args) {
        int status = NeoBootstrapper.start(new CommunityBootstrapper(), args);
        if (status != 0) {
            System.exit(status);
        }
        // The server runs on in its own threads; SIGTERM stops it through the
        // bootstrapper's shutdown hook.
    }
}
