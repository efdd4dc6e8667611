// Each fixture runs its own app and database, so fixtures can run side by side on our two cores.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(4)]
