"""Vector tiles: a data version bumped when findings, hazards or repairs change; a tile cache.

The version is one counter for the three tables, raised once by the first change of a
transaction, at its commit (a deferred trigger): the row lock is then the last one the writer
takes and is held only while it commits, so writers never deadlock on it, and readers see the new
version together with the new rows. The cache keeps one tile per layer, filter set and z/x/y, with
the version it was made from; it is UNLOGGED (a crash may empty it; it is only a cache).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TABLES = ("findings", "hazards", "repairs")


def upgrade():
    op.execute(
        """
        CREATE TABLE tile_data_version (
            id boolean PRIMARY KEY DEFAULT true CONSTRAINT ck_tile_data_version_one CHECK (id),
            version bigint NOT NULL DEFAULT 1
        )
        """
    )
    op.execute("INSERT INTO tile_data_version (id, version) VALUES (true, 1)")
    op.execute(
        """
        CREATE FUNCTION bump_tile_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            -- Once a transaction: the setting is local to it and reverts at its end.
            IF current_setting('inspection.tile_version_bumped', true) = 'yes' THEN
                RETURN NULL;
            END IF;
            PERFORM set_config('inspection.tile_version_bumped', 'yes', true);
            UPDATE tile_data_version SET version = version + 1;
            RETURN NULL;
        END
        $$
        """
    )
    for table in TABLES:
        op.execute(
            f"""
            CREATE CONSTRAINT TRIGGER tile_data_version_{table}
            AFTER INSERT OR UPDATE OR DELETE ON {table}
            DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION bump_tile_data_version()
            """
        )
    op.execute(
        """
        CREATE UNLOGGED TABLE tile_cache (
            layer varchar(32) NOT NULL,
            variant text NOT NULL,
            z smallint NOT NULL,
            x integer NOT NULL,
            y integer NOT NULL,
            version text NOT NULL,
            tile bytea NOT NULL,
            made_at timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT pk_tile_cache PRIMARY KEY (layer, variant, z, x, y)
        )
        """
    )


def downgrade():
    op.execute("DROP TABLE tile_cache")
    for table in TABLES:
        op.execute(f"DROP TRIGGER tile_data_version_{table} ON {table}")
    op.execute("DROP FUNCTION bump_tile_data_version()")
    op.execute("DROP TABLE tile_data_version")
