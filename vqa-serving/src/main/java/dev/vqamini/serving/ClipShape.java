package dev.vqamini.serving;

/** The shape of one clip the scorer accepts, 3 x frames x height x width (DOVER: 32 x 224 x 224). */
public record ClipShape(int frames, int height, int width) {

    public static final ClipShape DOVER = new ClipShape(32, 224, 224);

    public ClipShape {
        if (frames < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("clip shape " + frames + "x" + height + "x" + width);
        }
    }

    public int bytes() {
        return 3 * frames * height * width;
    }
}
